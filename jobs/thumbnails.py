"""Image thumbnails (150 px cover, 400 and 1200 px inside), stored next to the original."""

import io
import uuid

from app.extensions import db
from app.files.models import THUMBNAIL_SIZES, StoredFile
from app.files.storage import get_storage
from app.jobs.services import JobError


def thumbnail_key(original_key: str, size: int) -> str:
    return original_key.rsplit("/", 1)[0] + f"/thumb-{size}.webp"


def render_thumbnail(image, size: int):
    from PIL import ImageOps

    if size == THUMBNAIL_SIZES[0]:
        return ImageOps.fit(image, (size, size))  # small: cover (cropped square)
    copy = image.copy()
    copy.thumbnail((size, size))  # inside: keeps the aspect ratio, never enlarges
    return copy


def make_thumbnails(stored_file_id: str, *, progress) -> None:
    from flask_babel import gettext as _
    from PIL import Image, ImageOps, UnidentifiedImageError

    stored = db.session.get(StoredFile, uuid.UUID(str(stored_file_id)))
    if stored is None:
        raise JobError(_("הקובץ לא נמצא."))
    storage = get_storage()
    with storage.open(stored.key) as fh:
        data = fh.read()
    try:
        image = Image.open(io.BytesIO(data))
        image = ImageOps.exif_transpose(image)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise JobError(_("לא ניתן ליצור תמונות ממוזערות: התמונה פגומה או גדולה מדי.")) from exc
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")

    written: dict[str, str] = {}
    try:
        for index, size in enumerate(THUMBNAIL_SIZES, start=1):
            out = io.BytesIO()
            render_thumbnail(image, size).save(out, "WEBP", quality=85)
            out.seek(0)
            key = thumbnail_key(stored.key, size)
            storage.save(key, out, "image/webp")
            written[str(size)] = key
            progress(
                index * 100 // len(THUMBNAIL_SIZES), _("נוצרה תמונה ממוזערת %(size)d px", size=size)
            )
        stored.thumbnails = written
        db.session.flush()
    except Exception:
        for key in written.values():
            storage.delete(key)
        raise
