"""CSV import: reading files (encodings, delimiters, malformed input), guessing columns,
checking every row before anything is written, all-or-nothing writes, the background job for
large files, roles and two studios."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.activity.models import ActivityLog
from app.contacts import importing, services, transfer
from app.contacts.fields import visible_specs
from app.contacts.importing import ImportPlan, check_rows, run_import
from app.contacts.models import Client, Professional
from app.contacts.transfer import CsvRejected, guess_mapping, read_csv
from app.core.errors import ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.files.models import StoredFile
from app.jobs.models import JobRun
from tests.conftest import csrf_from, login, post_form
from tests.contacts.conftest import EMAILS, ROLES, make_contact, membership

FILES = Path(__file__).parent / "files"
CLIENT_DEFAULTS = {"type": "individual", "status": "lead", "preferred_communication": "phone"}


@pytest.fixture(autouse=True)
def _local_storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
    monkeypatch.setitem(app.config, "STORAGE_LOCAL_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "JOBS_INLINE", "auto")
    monkeypatch.setitem(app.config, "REDIS_URL", None)


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


def client_plan(table, **overrides) -> ImportPlan:
    specs = visible_specs("client", _owner_of_scope(), editing=True)
    mapping = guess_mapping("client", table.headers, specs)
    return ImportPlan("client", mapping, dict(CLIENT_DEFAULTS), **overrides)


def _owner_of_scope():
    from app.core.tenancy import current_tenant_id
    from app.tenants.models import Membership

    return db.session.scalar(
        select(Membership).where(
            Membership.tenant_id == current_tenant_id(), Membership.role == "owner"
        )
    )


def clients_count() -> int:
    return db.session.scalar(select(func.count(Client.id)))


# ---- reading files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("clients_utf8.csv", "utf-8"),
        ("clients_utf8_bom.csv", "utf-8-sig"),
        ("clients_cp1255.csv", "cp1255"),
    ],
)
def test_reads_utf8_with_or_without_bom_and_windows_1255(name, encoding):
    table = read_csv(data(name))
    assert table.encoding == encoding and table.delimiter == ","
    assert table.headers == ["שם", "אימייל", "טלפון", "עיר", "סטטוס"]
    assert [r.number for r in table.rows] == [2, 3, 4]
    assert table.rows[0].cells == ["דנה כהן", "dana@example.com", "050-1234567", "תל אביב", "ליד"]
    assert table.rows[2].cells[0] == "מיכל אברהם, אדריכלית"  # a quoted comma stays in the cell


def test_reads_utf16_from_excel_unicode_text():
    text = "שם\tטלפון\r\nדנה כהן\t050-1234567\r\n"
    table = read_csv(text.encode("utf-16"))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows[0].cells == ["דנה כהן", "050-1234567"]


def test_sniffs_semicolons_and_tabs():
    table = read_csv(data("clients_semicolon.csv"))
    assert table.delimiter == ";" and table.headers == ["Name", "E-mail", "Phone", "City"]
    assert table.rows[1].cells[3] == "Haifa, North"  # a comma inside a semicolon file
    tabbed = read_csv("שם\tעיר\nדנה\tחיפה, צפון\n".encode())
    assert tabbed.delimiter == "\t" and tabbed.rows[0].cells == ["דנה", "חיפה, צפון"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "הקובץ ריק"),
        (b"\n\n  \n", "הקובץ ריק"),
        ("שם,אימייל\n".encode(), "שורת כותרות בלבד"),
        (data("malformed_quotes.csv"), "החל מהשורה 3"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, "קובץ Excel"),
        (bytes(range(256)) * 20, "אינו קובץ טקסט"),
        (b"\x81\x8a\x9f\xff\xfe\xd9" * 100 + b"\n1,2\n", "לא הצלחנו לזהות את הקידוד"),
        ("דנה כהן,dana@example.com\nיוסי,y@example.com\n".encode(), "שמות העמודות"),
    ],
    ids=["empty", "blank", "header-only", "quotes", "xlsx", "binary", "encoding", "no-header"],
)
def test_malformed_files_get_a_clear_hebrew_message(content, message):
    with pytest.raises(CsvRejected) as error:
        read_csv(content)
    assert message in error.value.message


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read_csv("\n\nשם,עיר\n\nדנה,חיפה\n,\nיוסי,עכו\n".encode())
    assert table.headers == ["שם", "עיר"]
    assert [(r.number, r.cells[0]) for r in table.rows] == [(5, "דנה"), (7, "יוסי")]


def test_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(transfer, "MAX_ROWS", 3)
    rows = "".join(f"איש {i},a{i}@example.com\n\n" for i in range(4))  # blank lines too
    with pytest.raises(CsvRejected) as error:
        read_csv(("שם,אימייל\n" + rows).encode())
    assert "יותר מ-3 שורות" in error.value.message and "עד 3" in error.value.message
    with pytest.raises(CsvRejected) as error:
        read_csv(b"a" * (transfer.MAX_BYTES + 1))
    assert "גדול מדי" in error.value.message


def test_guesses_columns_from_hebrew_and_english_headers(owner):
    specs = visible_specs("client", owner, editing=True)
    headers = ["Full Name", "E-mail", "טלפון נייד", 'דוא"ל', "Phone", "הערות", "משהו אחר"]
    assert guess_mapping("client", headers, specs) == {
        0: "name",
        1: "email",
        2: "mobile",
        4: "phone",
        5: "notes",
    }
    pro_specs = visible_specs("professional", owner, editing=True)
    assert guess_mapping("professional", ["שם", "מקצוע", "Mobile", "שם החברה"], pro_specs) == {
        0: "name",
        1: "trade_key",
        2: "phone",  # professionals have one phone: a mobile column fills it
        3: "company_name",
    }


def test_formula_like_cells_are_escaped_and_unescaped():
    assert transfer.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert transfer.safe_cell("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert transfer.safe_cell("+972 50-1234567") == "+972 50-1234567"
    assert transfer.safe_cell("") == "" and transfer.safe_cell("-5") == "-5"
    assert transfer.unescape_cell("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert transfer.unescape_cell("'שלום") == "'שלום"


# ---- checking and writing (services) ---------------------------------------------------------


def test_check_lists_row_errors_by_number_and_writes_nothing(owner):
    table = read_csv(data("clients_one_bad_row.csv"))
    check = check_rows(owner, table, client_plan(table))
    assert [r.number for r in check.invalid_rows] == [3]
    assert check.error_lines() == [
        "שורה 3: אימייל — כתובת האימייל אינה תקינה (לדוגמה: name@studio.co.il)."
    ]
    assert len(check.valid_rows) == 2 and clients_count() == 0


def test_same_rules_as_the_create_form(owner):
    text = (
        "שם,אימייל,סטטוס,שלב ליד,ציון ליד,דירוג\n"
        "א,a@example.com,ליד,,10,\n"  # name too short
        "דנה כהן,dana@example.com,מצוין,,,\n"  # unknown status
        "רון לוי,ron@example.com,ליד,אבד,,\n"  # a lost lead needs a reason
        "גל שמש,gal@example.com,ליד,,101,\n"  # score above 100
    )
    table = read_csv(text.encode())
    check = check_rows(owner, table, client_plan(table))
    errors = {r.number: set(r.errors) for r in check.invalid_rows}
    assert errors == {2: {"name"}, 3: {"status"}, 4: {"lost_reason"}, 5: {"lead_score"}}


def test_duplicates_of_existing_contacts_and_of_earlier_rows(owner):
    existing = make_contact(owner, "client", email="dana@example.com")
    make_contact(owner, "professional", phone="+972 52-765-4321")
    text = (
        "שם,אימייל,טלפון\n"
        "דנה כהן,DANA@example.com,\n"  # the existing client's e-mail
        "יוסי לוי,yossi@example.com,052-7654321\n"  # the professional's phone
        "מיכל אברהם,michal@example.com,054-1112233\n"
        "מיכל שנייה,michal2@example.com,054 111 2233\n"  # row 4's phone
    )
    table = read_csv(text.encode())
    check = check_rows(owner, table, client_plan(table))
    rows = {r.number: r for r in check.rows}
    assert [d.contact.id for d in rows[2].existing] == [existing.id]
    assert rows[2].existing[0].reason == "email"
    assert rows[3].existing[0].reason == "phone" and rows[3].existing[0].kind_label == "בעל מקצוע"
    assert not rows[4].duplicate and rows[5].same_as_row == 4
    assert [r.number for r in check.rows_for("skip")] == [4]
    assert len(check.rows_for("import")) == 4


def test_run_import_creates_through_the_service_and_logs(owner):
    table = read_csv(data("clients_utf8.csv"))
    outcome = run_import(owner, table, client_plan(table))
    assert (outcome.created, outcome.skipped) == (3, 0)
    assert outcome.message == "נוצרו 3 אנשי קשר."
    clients = {c.name: c for c in db.session.scalars(select(Client))}
    assert clients["דנה כהן"].status == "lead" and clients["דנה כהן"].lead_stage == "new"
    assert clients["יוסי לוי"].status == "active"
    assert clients["מיכל אברהם, אדריכלית"].status == "lead"  # empty cell → the default
    assert clients["יוסי לוי"].phone_digits == "0527654321"
    logged = db.session.scalar(
        select(func.count(ActivityLog.id)).where(ActivityLog.action == "created")
    )
    assert logged == 3


def test_run_import_refuses_invalid_rows_unless_valid_only(owner):
    table = read_csv(data("clients_one_bad_row.csv"))
    with pytest.raises(importing.ImportFailed) as error:
        run_import(owner, table, client_plan(table))
    assert "שורה 3: אימייל" in error.value.message and clients_count() == 0
    outcome = run_import(owner, table, client_plan(table, valid_only=True))
    assert (outcome.created, outcome.skipped_invalid) == (2, 1)


def test_members_may_not_import(studio):
    with tenant_scope(studio.id):
        member = membership(studio, "member")
        table = read_csv(data("clients_utf8.csv"))
        from app.core.errors import PermissionDenied

        with pytest.raises(PermissionDenied):
            run_import(member, table, ImportPlan("client", {0: "name"}))


# ---- the flow (routes) -----------------------------------------------------------------------


def owner_client(make_client, email=EMAILS["owner"]):
    client = make_client()
    login(client, email)
    return client


def upload(client, content: bytes, name="contacts.csv", tab="clients"):
    url = f"/contacts/import?tab={tab}"
    return post_form(
        client,
        url,
        {"file": (io.BytesIO(content), name)},
        page=url,
        content_type="multipart/form-data",
    )


def upload_id_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return re.search(r"/contacts/import/([0-9a-f-]{36})", response.location).group(1)


def preview_args(mapping: dict, **extra) -> dict:
    args = {"tab": "clients", **{f"col_{i}": k for i, k in mapping.items()}}
    args |= {f"default_{k}": v for k, v in CLIENT_DEFAULTS.items()}
    return args | extra


def confirm(client, upload_id, form: dict, tab="clients"):
    page = f"/contacts/import/{upload_id}?tab={tab}"
    return post_form(client, f"/contacts/import/{upload_id}/confirm?tab={tab}", form, page=page)


UTF8_MAPPING = {0: "name", 1: "email", 2: "phone", 3: "city", 4: "status"}


def test_the_whole_flow_with_a_good_file(make_client, studio):
    client = owner_client(make_client)
    page = client.get("/contacts/import?tab=clients").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'aria-current="step"' in page
    upload_id = upload_id_of(upload(client, data("clients_utf8_bom.csv")))

    mapping = client.get(f"/contacts/import/{upload_id}?tab=clients").get_data(as_text=True)
    assert "UTF-8 (עם BOM)" in mapping and "dana@example.com" in mapping
    assert re.search(r'name="col_1">.*?<option value="email" selected', mapping, re.S)
    assert re.search(r'name="default_status">.*?<option value="lead" selected', mapping, re.S)

    preview = client.get(
        f"/contacts/import/{upload_id}/preview", query_string=preview_args(UTF8_MAPPING)
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "table-wrap--scroll" in html
    assert "ייובאו 3 אנשי קשר." in html and "אישור וייבוא" in html
    with tenant_scope(studio.id):
        assert clients_count() == 0  # the preview writes nothing

    form = dict(preview_args(UTF8_MAPPING), duplicates="skip")
    response = confirm(client, upload_id, form)
    assert response.status_code == 302 and "/contacts/import/done" in response.location
    done = client.get(response.location).get_data(as_text=True)
    assert "נוצרו 3 אנשי קשר." in done and "/contacts?tab=clients" in done
    with tenant_scope(studio.id):
        assert clients_count() == 3
        assert db.session.scalar(select(StoredFile)) is None  # the upload is discarded
    # The upload is gone: its steps send the user back to the start.
    again = client.get(f"/contacts/import/{upload_id}?tab=clients")
    assert again.status_code == 404


@pytest.mark.parametrize("name", ["clients_cp1255.csv", "clients_semicolon.csv"])
def test_flow_reads_windows_1255_and_semicolon_files(make_client, studio, name):
    client = owner_client(make_client)
    upload_id = upload_id_of(upload(client, data(name)))
    html = client.get(f"/contacts/import/{upload_id}?tab=clients").get_data(as_text=True)
    assert ("Windows-1255 (עברית)" in html) == (name == "clients_cp1255.csv")
    assert ("מופרד בנקודה-פסיק" in html) == (name == "clients_semicolon.csv")
    mapping = {0: "name", 1: "email", 2: "phone", 3: "city"}
    response = confirm(client, upload_id, preview_args(mapping, duplicates="skip"))
    assert response.status_code == 302
    with tenant_scope(studio.id):
        names = set(db.session.scalars(select(Client.name)))
    assert "דנה כהן" in names or "Dana Cohen" in names


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("contacts.xlsx", b"PK\x03\x04", "זה קובץ Excel"),
        ("contacts.pdf", b"%PDF-1.4", "יש להעלות קובץ CSV"),
        ("contacts.csv", data("malformed_quotes.csv"), "מירכאות"),
        ("contacts.csv", b"", "הקובץ ריק"),
    ],
)
def test_upload_refuses_bad_files_with_a_message(make_client, studio, name, content, message):
    client = owner_client(make_client)
    response = upload(client, content, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and 'aria-invalid="true"' in html
    with tenant_scope(studio.id):
        assert db.session.scalar(select(StoredFile)) is None


def test_mapping_errors_are_shown_before_the_preview(make_client, studio):
    client = owner_client(make_client)
    upload_id = upload_id_of(upload(client, data("clients_utf8.csv")))
    args = {"tab": "clients", "col_0": "name", "col_3": "name", "default_type": "planet"}
    response = client.get(f"/contacts/import/{upload_id}/preview", query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "נבחר ליותר מעמודה אחת" in html and "בחרו עמודה לשדה החובה" in html
    assert "אימייל" in html and "יש לבחור אחת מהאפשרויות ברשימה." in html


def test_one_bad_row_preview_then_valid_rows_only(make_client, studio):
    client = owner_client(make_client)
    upload_id = upload_id_of(upload(client, data("clients_one_bad_row.csv")))
    mapping = {0: "name", 1: "email", 2: "phone", 3: "city"}
    html = client.get(
        f"/contacts/import/{upload_id}/preview", query_string=preview_args(mapping)
    ).get_data(as_text=True)
    assert "שורה 3: אימייל — כתובת האימייל אינה תקינה" in html
    assert "ייבוא השורות התקינות בלבד" in html and 'name="valid_only" value="1"' in html
    assert "import-cell--invalid" in html and "חזרה למיפוי" in html

    # Without "valid rows only" nothing is written and the preview says why.
    refused = confirm(client, upload_id, preview_args(mapping, duplicates="skip"))
    assert refused.status_code == 422 and "שום דבר לא נשמר" in refused.get_data(as_text=True)
    with tenant_scope(studio.id):
        assert clients_count() == 0

    response = confirm(client, upload_id, preview_args(mapping, duplicates="skip", valid_only="1"))
    assert response.status_code == 302
    done = client.get(response.location).get_data(as_text=True)
    assert "נוצרו 2 אנשי קשר." in done and "שורה אחת עם שגיאה לא יובאה." in done
    with tenant_scope(studio.id):
        assert set(db.session.scalars(select(Client.email))) == {
            "dana@example.com",
            "michal@example.com",
        }


def test_duplicates_are_flagged_and_the_user_chooses(make_client, studio):
    with tenant_scope(studio.id):
        existing = make_contact(membership(studio), "client", email="dana@example.com")
        db.session.commit()
        existing_id = existing.id
    client = owner_client(make_client)
    content = data("clients_utf8.csv") + "דנה שוב,other@example.com,050 1234567,עכו,\r\n".encode()
    upload_id = upload_id_of(upload(client, content))
    html = client.get(
        f"/contacts/import/{upload_id}/preview", query_string=preview_args(UTF8_MAPPING)
    ).get_data(as_text=True)
    assert f"/contacts/{existing_id}" in html and "אותו אימייל" in html
    assert "כמו שורה 2 בקובץ" in html
    assert "ייובאו 2 אנשי קשר" in html and "ייובאו 4 אנשי קשר" in html
    response = confirm(client, upload_id, preview_args(UTF8_MAPPING, duplicates="import"))
    assert response.status_code == 302
    with tenant_scope(studio.id):
        assert clients_count() == 5  # the existing one and all four rows


def test_a_failure_mid_import_leaves_no_rows(make_client, studio, monkeypatch):
    client = owner_client(make_client)
    upload_id = upload_id_of(upload(client, data("clients_utf8.csv")))
    real_create, calls = services.create_contact, []

    def failing_create(actor, kind, row):
        calls.append(row["name"])
        if len(calls) == 3:
            raise ValidationFailed({"email": ["הכתובת כבר תפוסה."]})
        return real_create(actor, kind, row)

    monkeypatch.setattr(services, "create_contact", failing_create)
    response = confirm(client, upload_id, preview_args(UTF8_MAPPING, duplicates="skip"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "שורה 4: הכתובת כבר תפוסה." in html
    assert len(calls) == 3
    with tenant_scope(studio.id):
        assert clients_count() == 0
        assert db.session.scalar(select(func.count(ActivityLog.id))) == 0
        assert db.session.scalar(select(StoredFile)) is not None  # kept: fix and retry

    def crashing_create(actor, kind, row):
        calls.append(row["name"])
        if len(calls) == 5:
            raise RuntimeError("database went away")
        return real_create(actor, kind, row)

    monkeypatch.setattr(services, "create_contact", crashing_create)
    with pytest.raises(RuntimeError):
        confirm(client, upload_id, preview_args(UTF8_MAPPING, duplicates="skip"))
    with tenant_scope(studio.id):
        assert clients_count() == 0


def big_file(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["שם,אימייל,טלפון"]
    for i in range(rows):
        email = "broken" if i == bad_row else f"person{i}@example.com"
        lines.append(f"איש קשר {i},{email},050-{1000000 + i}")
    return ("\n".join(lines) + "\n").encode()


def test_large_file_runs_as_a_job_with_progress(make_client, studio):
    client = owner_client(make_client)
    upload_id = upload_id_of(upload(client, big_file(250)))
    mapping = {0: "name", 1: "email", 2: "phone"}
    preview = client.get(
        f"/contacts/import/{upload_id}/preview", query_string=preview_args(mapping)
    ).get_data(as_text=True)
    assert "הייבוא ירוץ ברקע" in preview
    response = confirm(client, upload_id, preview_args(mapping, duplicates="skip"))
    assert response.status_code == 302 and "/contacts/import/jobs/" in response.location
    page = client.get(response.location).get_data(as_text=True)  # inline in tests: done
    assert "נוצרו 250 אנשי קשר." in page and "job-progress" in page
    with tenant_scope(studio.id):
        run = db.session.scalar(select(JobRun))
        assert (run.kind, run.status, run.progress) == ("contacts_import", "succeeded", 100)
        assert clients_count() == 250 and db.session.scalar(select(StoredFile)) is None
    fragment = client.get(f"/jobs/{run.id}", headers={"HX-Request": "true"})
    assert "נוצרו 250 אנשי קשר." in fragment.get_data(as_text=True)


def test_job_progress_is_reported_while_it_runs(owner, monkeypatch):
    from jobs.contacts_import import import_contacts

    table_bytes = big_file(220)
    stored, table = transfer.save_upload(owner, _FileStorage(table_bytes))
    plan = ImportPlan("client", {0: "name", 1: "email", 2: "phone"}, dict(CLIENT_DEFAULTS))
    monkeypatch.setattr(importing, "time", _FastClock())
    reports = []
    result = import_contacts(
        str(stored.id), str(owner.id), plan.to_json(), progress=lambda p, m: reports.append(p)
    )
    assert result.message == "נוצרו 220 אנשי קשר." and result.file_key is None
    assert reports == sorted(reports) and reports[0] <= 20 and reports[-1] >= 98
    assert len(reports) > 5


def test_a_failing_job_leaves_no_rows(make_client, studio):
    client = owner_client(make_client)
    upload_id = upload_id_of(upload(client, big_file(230, bad_row=150)))
    mapping = {0: "name", 1: "email", 2: "phone"}
    # The user did not choose "valid rows only": the job refuses the whole file.
    response = confirm(client, upload_id, preview_args(mapping, duplicates="skip"))
    page = client.get(response.location).get_data(as_text=True)
    assert "שורה 152: אימייל" in page and "לא יובא דבר" in page
    with tenant_scope(studio.id):
        run = db.session.scalar(select(JobRun))
        assert run.status == "failed" and clients_count() == 0
        assert db.session.scalar(select(StoredFile)) is not None


class _FileStorage:
    def __init__(self, content: bytes, filename="big.csv"):
        self.filename, self.stream = filename, io.BytesIO(content)


class _FastClock:
    """time.monotonic() that moves a second per call, so every progress report goes out."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        self.now += 1
        return self.now


# ---- who may, and two studios ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(make_client, studio, role):
    with tenant_scope(studio.id):
        stored, _table = transfer.save_upload(
            membership(studio, "owner"), _FileStorage(data("clients_utf8.csv"))
        )
        db.session.commit()
        upload_id = stored.id
    client = owner_client(make_client, EMAILS[role])
    allowed = role in ("owner", "manager")
    expected = 200 if allowed else 403
    assert client.get("/contacts/import?tab=suppliers").status_code == expected
    assert client.get("/contacts/import/template.csv?tab=clients").status_code == expected
    assert client.get("/contacts/import/done?tab=clients&created=1").status_code == expected
    response = upload(client, data("clients_utf8.csv"))
    assert response.status_code == (302 if allowed else 403)
    # Someone else's upload (here the owner's) is not found, even in the same studio.
    own = role == "owner"
    steps = client.get(f"/contacts/import/{upload_id}?tab=clients").status_code
    assert steps == (200 if own else 404 if allowed else 403)
    token = csrf_from(client, "/contacts")
    posted = client.post(
        f"/contacts/import/{upload_id}/confirm?tab=clients",
        data={"csrf_token": token, **preview_args(UTF8_MAPPING)},
    )
    assert posted.status_code == (302 if own else 404 if allowed else 403)


def test_another_studio_cannot_use_an_upload(make_client, studio, other_studio):
    with tenant_scope(studio.id):
        stored, _table = transfer.save_upload(
            membership(studio, "owner"), _FileStorage(data("clients_utf8.csv"))
        )
        db.session.commit()
        upload_id = stored.id
    client = owner_client(make_client, "owner@b.test")
    assert client.get(f"/contacts/import/{upload_id}?tab=clients").status_code == 404
    assert (
        client.get(
            f"/contacts/import/{upload_id}/preview", query_string=preview_args(UTF8_MAPPING)
        ).status_code
        == 404
    )
    response = confirm(client, upload_id, preview_args(UTF8_MAPPING, duplicates="skip"))
    assert response.status_code == 404
    with tenant_scope(studio.id):
        assert clients_count() == 0
    with tenant_scope(other_studio.id):
        assert clients_count() == 0


def test_unknown_tab_is_not_found(make_client, studio):
    client = owner_client(make_client)
    assert client.get("/contacts/import?tab=planets").status_code == 404


def test_import_professionals_with_a_default_trade(make_client, studio):
    client = owner_client(make_client)
    content = "שם,טלפון\nיוסי החשמלאי,050-1111111\nדני הנגר,050-2222222\n".encode()
    upload_id = upload_id_of(upload(client, content, tab="professionals"))
    html = client.get(f"/contacts/import/{upload_id}?tab=professionals").get_data(as_text=True)
    assert 'name="default_trade_key"' in html and "חשמלאי" in html
    form = {"col_0": "name", "col_1": "phone", "default_trade_key": "electrician"}
    response = confirm(client, upload_id, form | {"duplicates": "skip"}, tab="professionals")
    assert response.status_code == 302
    with tenant_scope(studio.id):
        trades = set(db.session.scalars(select(Professional.trade_key)))
    assert trades == {"electrician"}
