"""Export: CSV (BOM, Hebrew headers, the list's filters, a selection, commercial terms only for
those who may see them), vCard (one contact, or a list), an import of our own export, roles,
two studios and the audit log."""

import csv
import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.contacts import exporting, services
from app.contacts.fields import visible_specs
from app.contacts.transfer import guess_mapping, read_csv
from app.core.tenancy import tenant_scope
from app.custom_fields import services as custom_fields
from app.custom_fields.models import CustomFieldValue
from app.extensions import db
from app.labels import services as labels
from tests.conftest import login
from tests.contacts.conftest import EMAILS, ROLES, make_contact, membership
from tests.factories import add_member


def signed_in(make_client, email=EMAILS["owner"]):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def people(studio):
    """Two leads, an active client (archived one too), a supplier with terms, a professional."""
    with tenant_scope(studio.id):
        owner = membership(studio)
        made = {
            "dana": make_contact(
                owner,
                name="דנה כהן",
                email="dana@example.com",
                status="lead",
                phone="050-1234567",
                city="תל אביב",
                notes="שורה ראשונה\nשורה שנייה; עם פסיק, ונקודה-פסיק",
            ),
            "yossi": make_contact(owner, name="יוסי לוי", email="yossi@example.com", status="lead"),
            "active": make_contact(
                owner,
                name="אורי פעיל",
                email="active@example.com",
                status="active",
                city="=HYPERLINK(1)",  # Excel must show it, not run it
            ),
            "archived": make_contact(owner, name="ישן בארכיון", email="old@example.com"),
            "supplier": make_contact(
                owner,
                "supplier",
                name="ספק הרהיטים",
                discount_percent="12.5",
                website="www.rehitim.co.il",
            ),
            "pro": make_contact(
                owner,
                "professional",
                name="יוסי החשמלאי",
                company_name="חשמל בע״מ",
                phone="050-1111111",
            ),
        }
        services.set_archived(owner, [made["archived"]], True)
        vip = labels.create_label(owner, name="VIP", color="#FF0000", entity_types=["client"])
        labels.attach_label(owner, vip, "client", made["dana"].id)
        floor = custom_fields.create_definition(
            owner,
            "client",
            {"name": "קומה", "field_key": "floor", "field_type": "text", "is_active": True},
        )
        db.session.add(
            CustomFieldValue(
                field_id=floor.id, entity_type="client", entity_id=made["dana"].id, value="שלישית"
            )
        )
        db.session.commit()
        return {key: contact.id for key, contact in made.items()}


def csv_rows(response) -> list[list[str]]:
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf"), "no BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def by_name(rows) -> dict:
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_csv_has_bom_hebrew_headers_and_readable_values(make_client, people):
    client = signed_in(make_client)
    response = client.get("/contacts/export.csv?tab=clients")
    assert response.status_code == 200
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    assert "clients-" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = csv_rows(response)
    assert rows[0][:4] == ["שם", "סוג לקוח", "סטטוס", "אימייל"]
    assert rows[0][-2:] == ["תגיות", "קומה"]
    found = by_name(rows)
    assert set(found) == {"דנה כהן", "יוסי לוי", "אורי פעיל"}  # not the archived one
    assert found["אורי פעיל"]["עיר"] == "'=HYPERLINK(1)"
    dana = found["דנה כהן"]
    assert (dana["סטטוס"], dana["סוג לקוח"], dana["שלב ליד"]) == ("ליד", "פרטי", "חדש")
    assert dana["טלפון"] == "050-1234567" and dana["תגיות"] == "VIP" and dana["קומה"] == "שלישית"
    assert dana["הערות"] == "שורה ראשונה\nשורה שנייה; עם פסיק, ונקודה-פסיק"
    assert found["יוסי לוי"]["תגיות"] == ""


def test_csv_follows_the_list_filters_and_the_selection(make_client, people):
    client = signed_in(make_client)
    names = lambda url: set(by_name(csv_rows(client.get(url))))  # noqa: E731
    assert names("/contacts/export.csv?tab=clients&status=lead") == {"דנה כהן", "יוסי לוי"}
    assert names("/contacts/export.csv?tab=clients&q=יוסי") == {"יוסי לוי"}
    assert names("/contacts/export.csv?tab=clients&archived=1") == {"ישן בארכיון"}
    assert names("/contacts/export.csv?tab=clients&q=nobody") == set()
    selection = f"/contacts/export.csv?tab=clients&ids={people['dana']}&ids={people['archived']}"
    assert names(selection) == {"דנה כהן", "ישן בארכיון"}
    # Ids of another kind (or nonsense) select nothing of this tab.
    assert names(f"/contacts/export.csv?tab=clients&ids={people['supplier']}&ids=x") == set()
    sorted_rows = csv_rows(client.get("/contacts/export.csv?tab=clients&sort=name&dir=desc"))
    assert [r[0] for r in sorted_rows[1:]] == ["יוסי לוי", "דנה כהן", "אורי פעיל"]


def test_commercial_terms_only_for_members_who_may_see_them(make_client, studio, people):
    owner_rows = csv_rows(signed_in(make_client).get("/contacts/export.csv?tab=suppliers"))
    supplier = by_name(owner_rows)["ספק הרהיטים"]
    assert supplier["הנחה"] == "12.5" and supplier["אתר"] == "https://www.rehitim.co.il"
    add_member(studio, "blind@a.test", "manager", can_view_financials=False)
    blind_rows = csv_rows(
        signed_in(make_client, "blind@a.test").get("/contacts/export.csv?tab=suppliers")
    )
    assert "הנחה" not in blind_rows[0] and "תנאי תשלום" not in blind_rows[0]
    assert "שם" in blind_rows[0] and by_name(blind_rows)["ספק הרהיטים"]["אתר"]


def test_vcard_of_one_contact_for_any_member(make_client, people):
    client = signed_in(make_client, EMAILS["member"])
    response = client.get(f"/contacts/{people['dana']}/vcard")
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and text.endswith("END:VCARD\r\n")
    unfolded = text.replace("\r\n ", "")
    assert "FN:דנה כהן\r\n" in unfolded and "N:כהן;דנה;;;\r\n" in unfolded
    assert "TEL;TYPE=VOICE:050-1234567\r\n" in unfolded
    assert "EMAIL;TYPE=INTERNET:dana@example.com\r\n" in unfolded
    assert "ADR;TYPE=WORK:;;;תל אביב;;;\r\n" in unfolded
    assert "NOTE:שורה ראשונה\\nשורה שנייה\\; עם פסיק\\, ונקודה-פסיק\r\n" in unfolded
    assert "CATEGORIES:לקוח,VIP\r\n" in unfolded
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line  # folded, never mid-character


def test_vcard_list_export_of_organisations_and_professionals(make_client, people):
    client = signed_in(make_client)
    suppliers = client.get("/contacts/export.vcf?tab=suppliers").data.decode("utf-8")
    assert suppliers.count("BEGIN:VCARD") == 1
    assert "ORG:ספק הרהיטים" in suppliers and "N:ספק הרהיטים;;;;" in suppliers
    assert "URL:https://www.rehitim.co.il" in suppliers
    pros = client.get("/contacts/export.vcf?tab=professionals").data.decode("utf-8")
    assert "ORG:חשמל בע״מ" in pros and "TITLE:חשמלאי" in pros
    leads = client.get("/contacts/export.vcf?tab=clients&status=lead").data.decode("utf-8")
    assert leads.count("BEGIN:VCARD") == 2
    selected = client.get(f"/contacts/export.vcf?tab=clients&ids={people['yossi']}")
    assert selected.data.decode("utf-8").count("BEGIN:VCARD") == 1


def test_our_export_imports_back_with_every_column_recognised(make_client, studio, people):
    rows = csv_rows(signed_in(make_client).get("/contacts/export.csv?tab=clients&status=lead"))
    with tenant_scope(studio.id):
        owner = membership(studio)
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        table = read_csv(("\ufeff" + text.getvalue()).encode())
        specs = visible_specs("client", owner, editing=True)
        mapping = guess_mapping("client", table.headers, specs)
        assert set(mapping.values()) == {s.key for s in specs}  # labels and custom: ignored
        from app.contacts.importing import ImportPlan, check_rows

        check = check_rows(owner, table, ImportPlan("client", mapping))
        assert check.error_lines() == [] and len(check.duplicate_rows) == 2


def test_export_is_audited(make_client, studio, people):
    client = signed_in(make_client, EMAILS["manager"])
    client.get("/contacts/export.csv?tab=clients")
    client.get("/contacts/export.vcf?tab=suppliers")
    entries = db.session.scalars(select(AuditLog).order_by(AuditLog.timestamp)).all()
    exports = [e for e in entries if e.action == "data.export"]
    assert sorted(e.entity_name for e in exports) == [
        "ייצוא לקוחות (CSV, 3)",
        "ייצוא ספקים (vCard, 1)",
    ]
    assert {(e.user_email, e.tenant_id) for e in exports} == {(EMAILS["manager"], studio.id)}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(make_client, people, role):
    client = signed_in(make_client, EMAILS[role])
    expected = 200 if role in ("owner", "manager") else 403
    for tab in ("clients", "suppliers", "professionals"):
        assert client.get(f"/contacts/export.csv?tab={tab}").status_code == expected
        assert client.get(f"/contacts/export.vcf?tab={tab}").status_code == expected
    assert client.get(f"/contacts/export.csv?tab=clients&ids={people['dana']}").status_code == (
        expected
    )
    assert client.get(f"/contacts/{people['pro']}/vcard").status_code == 200


def test_signed_out_is_sent_to_login(client):
    assert client.get("/contacts/export.csv?tab=clients").status_code == 302


def test_another_studio_never_sees_our_contacts(make_client, studio, other_studio, people):
    with tenant_scope(other_studio.id):
        make_contact(membership(other_studio), name="לקוח של בית", email="b@example.com")
        db.session.commit()
    client = signed_in(make_client, "owner@b.test")
    rows = csv_rows(client.get("/contacts/export.csv?tab=clients"))
    assert set(by_name(rows)) == {"לקוח של בית"}
    ids = "&".join(f"ids={i}" for i in people.values())
    assert len(csv_rows(client.get(f"/contacts/export.csv?tab=clients&{ids}"))) == 1  # header
    vcf = client.get(f"/contacts/export.vcf?tab=clients&{ids}").data.decode("utf-8")
    assert vcf == ""
    assert client.get(f"/contacts/{people['dana']}/vcard").status_code == 404


def test_vcard_escaping_and_folding_helpers():
    assert exporting._escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = exporting._fold("NOTE:" + "א" * 60)
    lines = folded.split("\r\n")
    assert all(len(x.encode("utf-8")) <= 75 for x in lines) and lines[1].startswith(" ")
    assert folded.replace("\r\n ", "") == "NOTE:" + "א" * 60
