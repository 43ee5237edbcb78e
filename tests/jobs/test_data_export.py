"""/settings/data: the studio export job, its ZIP, download permissions and expiry."""

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.db import utcnow
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.files.services import save_upload
from app.jobs.models import JobRun
from tests.conftest import login, post_form
from tests.factories import add_member, make_studio


class Upload:
    def __init__(self, name, data):
        self.filename, self.stream = name, io.BytesIO(data)


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def studios(ctx):
    tenant_a, owner_a = make_studio("סטודיו א", "owner@a.test")
    tenant_b, owner_b = make_studio("סטודיו ב", "owner@b.test")
    add_member(tenant_a, "manager@a.test", "manager")
    add_member(tenant_a, "member@a.test", "member")
    with tenant_scope(tenant_b.id):
        save_upload(owner_b.memberships[0], Upload("secret-b.pdf", PDF))
        db.session.commit()
    with tenant_scope(tenant_a.id):
        save_upload(owner_a.memberships[0], Upload("plan-a.pdf", PDF))
        db.session.commit()
    return tenant_a, tenant_b


def _start_export(client):
    response = post_form(client, "/settings/data/export", page="/settings/data")
    assert response.status_code == 302
    page = client.get("/settings/data").get_data(as_text=True)
    match = re.search(r'href="(/jobs/[0-9a-f-]+/download)"', page)
    assert match, page
    return match.group(1)


def test_owner_exports_and_downloads_only_their_studio(client, studios):
    tenant_a, tenant_b = studios
    login(client, "owner@a.test")
    page = client.get("/settings/data")
    assert page.status_code == 200
    assert "ייצוא כל נתוני הסטודיו" in page.get_data(as_text=True)
    link = _start_export(client)
    response = client.get(link)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "csv/memberships.csv" in names and "json/memberships.json" in names
    assert "csv/tenants.csv" in names and "json/users.json" in names
    everything = b"".join(archive.read(n) for n in names).decode("utf-8", "replace")
    assert str(tenant_a.id) in everything
    assert str(tenant_b.id) not in everything
    assert "owner@b.test" not in everything and "secret-b" not in everything
    assert "plan-a.pdf" in everything
    assert any(n.startswith("files/") and n.endswith("plan-a.pdf") for n in names)
    users = json.loads(archive.read("json/users.json"))
    assert {u["email"] for u in users} == {"owner@a.test", "manager@a.test", "member@a.test"}
    assert set(users[0]) == {"id", "first_name", "last_name", "email"}  # no hashes/secrets
    tenants = list(csv.DictReader(io.StringIO(archive.read("csv/tenants.csv").decode("utf-8-sig"))))
    assert [t["name"] for t in tenants] == ["סטודיו א"]
    assert "password" not in everything.lower()
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"]["stored_files"] == 1


def test_export_is_audited(client, studios):
    tenant_a, _ = studios
    login(client, "owner@a.test")
    _start_export(client)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "data.export"))
    assert entry is not None and entry.tenant_id == tenant_a.id


@pytest.mark.parametrize("email", ["manager@a.test", "member@a.test"])
def test_only_owners_reach_the_page_and_the_tab(make_client, studios, email):
    client = make_client()
    login(client, email)
    assert client.get("/settings/data").status_code == 403
    assert post_form(client, "/settings/data/export", page="/settings/security").status_code == 403
    assert 'href="/settings/data"' not in client.get("/settings/security").get_data(as_text=True)


def test_owner_sees_the_tab(client, studios):
    login(client, "owner@a.test")
    assert 'href="/settings/data"' in client.get("/settings/security").get_data(as_text=True)


def test_download_is_private_to_the_owners_of_the_tenant(make_client, studios):
    owner = make_client()
    login(owner, "owner@a.test")
    link = _start_export(owner)
    for email in ("manager@a.test", "member@a.test", "owner@b.test"):
        other = make_client()
        login(other, email)
        assert other.get(link).status_code == 404, email
        assert other.get(link.removesuffix("/download")).status_code == 404, email
    stranger = make_client()
    response = stranger.get(link)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_expired_download_says_so(client, studios):
    tenant_a, _ = studios
    login(client, "owner@a.test")
    link = _start_export(client)
    with tenant_scope(tenant_a.id):
        run = db.session.scalar(select(JobRun).where(JobRun.kind == "data_export"))
        run.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "פג תוקף" in response.get_data(as_text=True)
    assert "פג תוקף הקובץ" in client.get("/settings/data").get_data(as_text=True)


def test_progress_fragment_polls_while_running_and_stops_when_done(client, studios):
    tenant_a, _ = studios
    login(client, "owner@a.test")
    _start_export(client)
    with tenant_scope(tenant_a.id):
        run = db.session.scalar(select(JobRun).where(JobRun.kind == "data_export"))
        run_id = run.id
    done = client.get(f"/jobs/{run_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert done.lstrip().startswith('<div class="job-progress')
    assert "every 1s" not in done and "הורדה" in done
    with tenant_scope(tenant_a.id):
        run = db.session.get(JobRun, run_id)
        run.status, run.progress, run.message = "running", 42, "מייצא את הטבלה memberships"
        db.session.commit()
    running = client.get(f"/jobs/{run_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s, realtime"' in running
    assert f'data-realtime-topic="job:{run_id}"' in running
    assert 'aria-valuenow="42"' in running and "מייצא את הטבלה" in running
    with tenant_scope(tenant_a.id):
        run = db.session.get(JobRun, run_id)
        run.status, run.error = "failed", "משהו השתבש בייצוא."
        db.session.commit()
    failed = client.get(f"/jobs/{run_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "משהו השתבש בייצוא." in failed and "every 1s" not in failed


def test_settings_data_page_query_count(client, studios, count_queries):
    login(client, "owner@a.test")
    _start_export(client)
    with count_queries() as q:
        assert client.get("/settings/data").status_code == 200
    assert q.count <= 12, q.statements
