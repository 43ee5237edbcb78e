"""Settings → data: an owner exports all of the studio's data, watches the job's progress to
the end, downloads the ZIP and finds their studio's tables in it and nothing of another studio."""

import contextvars
import json
import re
import threading
import zipfile

import pytest
from playwright.sync_api import expect

from app.configuration import services as config
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from tests.browser.pages import sign_in, snap
from tests.factories import make_studio

pytestmark = pytest.mark.browser

OTHER_STUDIO = "סטודיו זר ומובחן"


@pytest.fixture
def worker(app, tmp_path, monkeypatch):
    """A stand-in for the RQ worker: jobs run on a background thread once `worker.set()`.

    Without Redis the app runs a job inline, inside the request that starts it, so the page
    would only ever see it finished; with this the page sees it queued first, as with a worker.
    """
    from app.jobs import services as jobs
    from jobs.runner import execute

    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
    monkeypatch.setitem(app.config, "STORAGE_LOCAL_DIR", str(tmp_path / "uploads"))
    go = threading.Event()
    threads = []

    def dispatch(flask_app, run_id, queue="default"):
        def run():
            if go.wait(timeout=30):
                contextvars.Context().run(execute, flask_app, run_id)

        thread = threading.Thread(target=run, name=f"job-{run_id}", daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(jobs, "dispatch", dispatch)
    yield go
    go.set()
    for thread in threads:
        thread.join(timeout=30)


def _studio_with_lists(name, email, status, label):
    tenant, owner = make_studio(name=name, email=email)
    membership = owner.memberships[0]
    with tenant_scope(tenant.id):
        config.create_entry(membership, "task_status", name=status, color="#123456")
        labels.create_label(membership, name=label, color="#654321", entity_types=["project"])
        db.session.commit()
    return tenant


def test_owner_exports_the_studio_data_and_downloads_the_zip(page, seed, worker):
    with seed():
        ours = _studio_with_lists("סטודיו ייצוא", "owner@export.test", "ממתין לחתימה", "תגית שלנו")
        theirs = _studio_with_lists(OTHER_STUDIO, "owner@foreign.test", "סטטוס זר", "תגית זרה")
        ours_id, theirs_id = str(ours.id), str(theirs.id)

    sign_in(page, "owner@export.test")
    page.goto("/settings/data")
    card = page.locator("#data-export")
    status = page.locator("#data-export-status")
    expect(card.get_by_role("heading", name="ייצוא כל נתוני הסטודיו")).to_be_visible()
    expect(status.get_by_role("progressbar")).to_have_count(0)

    card.get_by_role("button", name="ייצוא כל נתוני הסטודיו").click()
    bar = status.get_by_role("progressbar", name="התקדמות")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(status).to_contain_text("הייצוא ממתין בתור…")
    expect(status.locator(".job-progress")).to_have_attribute("aria-busy", "true")
    snap(page, "data-export-queued", full_page=False)

    worker.set()  # the worker picks the job up; the page polls until it is done
    expect(status).to_contain_text("הייצוא מוכן להורדה.", timeout=15_000)
    expect(bar).to_have_count(0)
    expect(status.locator(".job-progress")).to_have_attribute("aria-busy", "false")
    expect(status).to_contain_text(re.compile(r"studio-export-\d{8}-\d{6}\.zip"))
    expect(status).to_contain_text("הקישור בתוקף עד")
    snap(page, "data-export-ready", full_page=False)

    with page.expect_download() as download_info:
        status.get_by_role("link", name="הורדה").click()
    download = download_info.value
    assert re.fullmatch(r"studio-export-\d{8}-\d{6}\.zip", download.suggested_filename)

    with zipfile.ZipFile(download.path()) as archive:
        names = set(archive.namelist())
        for table in ("tenants", "users", "memberships", "configurable_entities", "labels"):
            assert f"csv/{table}.csv" in names and f"json/{table}.json" in names, table
        assert "manifest.json" in names

        statuses = [
            e["name"]
            for e in json.loads(archive.read("json/configurable_entities.json"))
            if e["entity_type"] == "task_status"
        ]
        assert {"לעשות", "בעבודה", "בבדיקה", "הושלם", "ממתין לחתימה"} == set(statuses)
        assert [lb["name"] for lb in json.loads(archive.read("json/labels.json"))] == ["תגית שלנו"]
        entities_csv = archive.read("csv/configurable_entities.csv").decode("utf-8-sig")
        assert "ממתין לחתימה" in entities_csv

        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["studio"] == "סטודיו ייצוא"
        assert manifest["tables"]["labels"] == 1

        everything = "".join(archive.read(n).decode("utf-8", "replace") for n in sorted(names))
    assert ours_id in everything
    for foreign in (theirs_id, OTHER_STUDIO, "owner@foreign.test", "סטטוס זר", "תגית זרה"):
        assert foreign not in everything, foreign
