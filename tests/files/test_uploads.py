"""Uploads: content-type checks, size, blocked extensions, names; thumbnails; serving."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.core.errors import ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.files.models import StoredFile
from app.files.services import SignedLinkError, file_from_token, save_upload, signed_token
from app.files.storage import get_storage
from app.jobs.models import JobRun
from tests.conftest import login, post_form
from tests.factories import add_member, make_studio

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Upload:
    def __init__(self, name, data):
        self.filename, self.stream = name, io.BytesIO(data)


def png_bytes(width=2000, height=1000) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (51, 153, 255)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def studio(ctx):
    tenant, owner = make_studio("סטודיו א", "owner@a.test")
    return tenant, owner.memberships[0]


def _refused(membership, name, data) -> str:
    with tenant_scope(membership.tenant_id), pytest.raises(ValidationFailed) as info:
        save_upload(membership, Upload(name, data))
    db.session.rollback()
    return info.value.errors["file"][0]


def test_good_pdf_is_stored(studio):
    tenant, membership = studio
    with tenant_scope(tenant.id):
        stored = save_upload(membership, Upload("תוכנית קומה.pdf", PDF))
        db.session.commit()
        assert stored.content_type == "application/pdf"
        assert stored.size == len(PDF)
        assert stored.key.startswith(f"{tenant.id}/files/")
        assert len(stored.sha256) == 64
        with get_storage().open(stored.key) as fh:
            assert fh.read() == PDF


def test_fake_extension_is_refused_with_the_reason(studio):
    _, membership = studio
    message = _refused(membership, "photo.jpg", PDF)
    assert "אינו תואם לסיומת" in message and "PDF" in message


def test_executable_renamed_is_refused(studio):
    _, membership = studio
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    assert "להרצה" in _refused(membership, "invoice.pdf", exe)


def test_unrecognisable_content_is_refused(studio):
    _, membership = studio
    assert "לזהות" in _refused(membership, "image.png", b"just some text")


@pytest.mark.parametrize(
    "name", ["setup.exe", "run.bat", "x.sh", "app.js", "a.ps1", "m.jar", "v.vbs", "i.msi"]
)
def test_blocked_extensions(studio, name):
    _, membership = studio
    assert "חסומים" in _refused(membership, name, PDF)


def test_unsupported_type(studio):
    _, membership = studio
    assert "אינו נתמך" in _refused(membership, "notes.xyz", PDF)


@pytest.mark.parametrize(
    "name", ["a:b.pdf", "what?.pdf", 'q"uote.pdf', "a|b.pdf", "a<b>.pdf", "a*.pdf"]
)
def test_forbidden_name_characters(studio, name):
    _, membership = studio
    assert "תווים אסורים" in _refused(membership, name, PDF)


def test_name_too_long(studio):
    _, membership = studio
    assert "ארוך מדי" in _refused(membership, "א" * 252 + ".pdf", PDF)


def test_too_big(studio, app, monkeypatch):
    _, membership = studio
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    message = _refused(membership, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "גדול מדי" in message and "1 MB" in message


def test_empty_and_missing(studio):
    _, membership = studio
    assert "ריק" in _refused(membership, "empty.pdf", b"")
    with tenant_scope(membership.tenant_id), pytest.raises(ValidationFailed):
        save_upload(membership, None)


def test_text_formats_must_be_text(studio):
    tenant, membership = studio
    assert "אינו תואם" in _refused(membership, "data.csv", PDF)
    assert "אינו תואם" in _refused(membership, "logo.svg", b"hello")
    with tenant_scope(tenant.id):
        stored = save_upload(membership, Upload("רשימה.csv", "שם,כמות\nכיסא,4\n".encode()))
        assert stored.content_type == "text/csv"


def test_refused_upload_writes_nothing(studio):
    tenant, membership = studio
    _refused(membership, "photo.jpg", PDF)
    with tenant_scope(tenant.id):
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_image_gets_thumbnails_from_a_job(studio):
    tenant, membership = studio
    with tenant_scope(tenant.id):
        stored = save_upload(membership, Upload("סלון.png", png_bytes()))
        file_id = stored.id
        db.session.commit()  # the thumbnail job runs now (inline: no Redis)
        db.session.expire_all()
        stored = db.session.get(StoredFile, file_id)
        run = db.session.scalar(select(JobRun).where(JobRun.kind == "thumbnails"))
        assert run.status == "succeeded"
        assert set(stored.thumbnails) == {"150", "400", "1200"}
        sizes = {}
        for size, key in stored.thumbnails.items():
            assert key.rsplit("/", 1)[0] == stored.key.rsplit("/", 1)[0]  # next to the original
            with get_storage().open(key) as fh:
                sizes[size] = Image.open(io.BytesIO(fh.read())).size
        assert sizes == {"150": (150, 150), "400": (400, 200), "1200": (1200, 600)}


def test_pdf_gets_no_thumbnail_job(studio):
    tenant, membership = studio
    with tenant_scope(tenant.id):
        save_upload(membership, Upload("a.pdf", PDF))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0


# --- serving --------------------------------------------------------------------------------


@pytest.fixture
def two_studios(ctx):
    tenant_a, owner_a = make_studio("סטודיו א", "owner@a.test")
    make_studio("סטודיו ב", "owner@b.test")
    add_member(tenant_a, "manager@a.test", "manager")
    add_member(tenant_a, "member@a.test", "member")
    with tenant_scope(tenant_a.id):
        stored = save_upload(owner_a.memberships[0], Upload("סלון.png", png_bytes(800, 600)))
        db.session.commit()
        return stored.id, signed_token(stored), signed_token(stored, timedelta(seconds=-1))


@pytest.mark.parametrize("email", ["owner@a.test", "manager@a.test", "member@a.test"])
def test_tenant_users_get_the_file_and_thumbnails(make_client, two_studios, email):
    file_id, _, _ = two_studios
    client = make_client()
    login(client, email)
    response = client.get(f"/files/{file_id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"
    thumb = client.get(f"/files/{file_id}/thumbnail/400")
    assert thumb.status_code == 200 and thumb.mimetype == "image/webp"
    assert client.get(f"/files/{file_id}/thumbnail/999").status_code == 404


def test_other_tenant_gets_404(client, two_studios):
    file_id, _, _ = two_studios
    login(client, "owner@b.test")
    assert client.get(f"/files/{file_id}").status_code == 404
    assert client.get(f"/files/{file_id}/thumbnail/150").status_code == 404


def test_anonymous_is_sent_to_login(client, two_studios):
    file_id, _, _ = two_studios
    response = client.get(f"/files/{file_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signed_link_works_then_expires(client, two_studios):
    file_id, token, expired = two_studios
    response = client.get(f"/files/s/{token}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    gone = client.get(f"/files/s/{expired}")
    assert gone.status_code == 410
    assert "פג תוקף" in gone.get_data(as_text=True)
    assert client.get(f"/files/s/{token[:-3]}xyz").status_code == 404


def test_signed_token_expiry_in_the_service(two_studios, app):
    import time

    file_id, token, _ = two_studios
    assert file_from_token(token).id == file_id
    with pytest.raises(SignedLinkError) as info:
        file_from_token(token, now=time.time() + 25 * 3600)
    assert info.value.expired


def test_upload_route_says_why(client, two_studios):
    login(client, "member@a.test")
    page = "/settings/security"
    bad = post_form(
        client,
        "/files/upload",
        {"file": (io.BytesIO(PDF), "photo.jpg")},
        page=page,
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "אינו תואם לסיומת" in bad.get_data(as_text=True)
    good = post_form(
        client,
        "/files/upload",
        {"file": (io.BytesIO(PDF), "חוזה.pdf")},
        page=page,
        content_type="multipart/form-data",
    )
    assert good.status_code == 201
    file_id = re.search(r'data-file-id="([0-9a-f-]+)"', good.get_data(as_text=True)).group(1)
    assert client.get(f"/files/{file_id}").data == PDF


def test_ordinary_forms_keep_the_small_body_limit(client, two_studios, app):
    login(client, "owner@a.test")
    big = "x" * (app.config["FORM_MAX_CONTENT_LENGTH"] + 1024)
    response = post_form(
        client, "/settings/data/export", {"filler": big}, page="/settings/security"
    )
    assert response.status_code == 413
