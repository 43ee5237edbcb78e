"""Uploads, signed links and serving.

stored = save_upload(g.membership, request.files["file"])   # raises ValidationFailed
db.session.commit()                                          # thumbnails start after it
url = signed_url(stored, max_age=timedelta(days=7))          # for e-mails / outside links
return file_response(stored)                                 # in a route, after checks
"""

import hashlib
import tempfile
import uuid
from datetime import timedelta

from flask import current_app, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from app.activity.labels import register_entity_kind
from app.activity.services import record_activity
from app.core.errors import ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.files.models import RASTER_IMAGE_TYPES, StoredFile
from app.files.storage import get_storage, tenant_key
from app.files.validation import (
    UploadRejected,
    check_name,
    check_size,
    detect_type,
    split_extension,
)

CHUNK = 1024 * 1024
HEAD_BYTES = 8192
SIGNED_SALT = "studio-os.files.signed"
INLINE_TYPES = set(RASTER_IMAGE_TYPES) | {"application/pdf", "video/mp4", "video/quicktime"}


def max_upload_bytes() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB", 100)) * 1024 * 1024


def _spool(stream, limit: int):
    """Copy the upload to a temp file, hashing it; stop as soon as it passes `limit`."""
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 (returned)
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            spooled.close()
            check_size(size, limit)  # raises "too big"
        digest.update(chunk)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled, size, digest.hexdigest()


def save_upload(actor, file_storage, field: str = "file") -> StoredFile:
    """Check and store an uploaded file for `actor`'s tenant (errors under `field`).

    `file_storage` is a werkzeug `FileStorage` (`request.files[...]`) or anything with
    `.filename` and `.stream`. Images get 150/400/1200 px thumbnails from a job.
    """
    try:
        if file_storage is None or not getattr(file_storage, "filename", None):
            raise UploadRejected(_("לא נבחר קובץ."))
        name = check_name(file_storage.filename)
        limit = max_upload_bytes()
        spooled, size, sha256 = _spool(file_storage.stream, limit)
    except UploadRejected as error:
        raise ValidationFailed({field: [error.message]}) from error
    try:
        check_size(size, limit)
        content_type = detect_type(name, spooled.read(HEAD_BYTES))
        spooled.seek(0)
    except UploadRejected as error:
        spooled.close()
        raise ValidationFailed({field: [error.message]}) from error

    file_id = uuid.uuid4()
    extension = split_extension(name)
    key = tenant_key(actor.tenant_id, "files", str(file_id), f"original.{extension}")
    with spooled:
        get_storage().save(key, spooled, content_type)
    stored = StoredFile(
        id=file_id,
        tenant_id=actor.tenant_id,
        key=key,
        original_name=name,
        extension=extension,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by_user_id=actor.user_id,
    )
    db.session.add(stored)
    db.session.flush()
    record_activity(actor, "created", stored, entity_type="file")
    if content_type in RASTER_IMAGE_TYPES:
        from app.jobs.services import enqueue

        enqueue(actor, "thumbnails", "jobs.thumbnails.make_thumbnails", file_id, queue="low")
    return stored


def get_file(file_id) -> StoredFile | None:
    """A file of the tenant in scope (None for another tenant's or a missing one)."""
    try:
        file_uuid = uuid.UUID(str(file_id))
    except ValueError:
        return None
    return db.session.scalar(select(StoredFile).where(StoredFile.id == file_uuid))


def delete_file(actor, stored: StoredFile) -> None:
    """Remove the record now and the bytes (original + thumbnails) after the commit."""
    from app.core.after_commit import after_commit

    keys = [stored.key, *(stored.thumbnails or {}).values()]
    record_activity(actor, "deleted", stored, entity_type="file")
    db.session.delete(stored)
    db.session.flush()
    storage = get_storage()
    after_commit(lambda: [storage.delete(k) for k in keys])


# --- signed links -------------------------------------------------------------------------


class SignedLinkError(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNED_SALT)


def signed_token(stored: StoredFile, max_age: timedelta = timedelta(hours=24)) -> str:
    payload = {"f": str(stored.id), "t": str(stored.tenant_id), "m": int(max_age.total_seconds())}
    return _serializer().dumps(payload)


def signed_url(stored: StoredFile, max_age: timedelta = timedelta(hours=24)) -> str:
    """An absolute link that works without signing in, until `max_age` passes."""
    return url_for("files.signed", token=signed_token(stored, max_age), _external=True)


def file_from_token(token: str, now: float | None = None) -> StoredFile:
    """The file a signed token names (raises SignedLinkError when expired or forged)."""
    import time

    try:
        payload, signed_at = _serializer().loads(token, return_timestamp=True)
        file_id, tenant_id, max_age = uuid.UUID(payload["f"]), uuid.UUID(payload["t"]), payload["m"]
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise SignedLinkError(expired=False) from exc
    if (now or time.time()) - signed_at.timestamp() > max_age:
        raise SignedLinkError(expired=True)
    with tenant_scope(tenant_id):
        stored = get_file(file_id)
    if stored is None:
        raise SignedLinkError(expired=False)
    return stored


# --- serving ------------------------------------------------------------------------------


def file_response(
    stored: StoredFile | None = None,
    *,
    key: str | None = None,
    content_type: str | None = None,
    download_name: str | None = None,
    as_attachment: bool | None = None,
):
    """Stream a stored object to the browser (call only after the access checks)."""
    key = key or stored.key
    content_type = content_type or (stored.content_type if stored else None)
    download_name = download_name or (stored.original_name if stored else key.rsplit("/", 1)[-1])
    if as_attachment is None:
        as_attachment = content_type not in INLINE_TYPES
    try:
        fh = get_storage().open(key)
    except FileNotFoundError:
        from flask import abort

        abort(404)
    response = send_file(
        fh,
        mimetype=content_type or "application/octet-stream",
        as_attachment=as_attachment,
        download_name=download_name,
        max_age=0,
        conditional=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


register_entity_kind("file", _l("קובץ"))
