"""/settings/studio: studio details, branding colour, business and fee settings, custom fields."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.activity.models import ActivityLog
from app.audit.models import AuditLog
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.tenancy import set_tenant, tenant_scope
from app.custom_fields import services as custom_fields
from app.extensions import db
from app.tenants.branding import _rgb, brand_palette, contrast
from app.tenants.models import Membership, Tenant
from app.tenants.studio_settings import clean_studio_values, fee_settings_of, update_studio
from tests.conftest import login, post_form
from tests.factories import add_member, make_studio

PAGE = "/settings/studio"

VALID = {
    "name": "סטודיו אלף",
    "email": "hello@alef.co.il",
    "phone": "03-5551234",
    "website": "alef.co.il",
    "address": "רוטשילד 1, תל אביב",
    "primary_color": "#e11d48",
    "business_type": "architecture",
    "currency": "ILS",
    "vat_rate": "18",
    "fiscal_year_start": "4",
    "timezone": "Asia/Jerusalem",
    "date_format": "DD/MM/YYYY",
    "default_billing_type": "hourly",
    "default_hourly_rate": "350",
    "default_markup_percent": "25",
    "markup_type": "cost_plus",
    "disbursement_percent": "5",
    "default_retainer_percent": "30",
}


@pytest.fixture
def studio(ctx):
    tenant, owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    add_member(tenant, "manager@a.test", "manager")
    add_member(tenant, "member@a.test", "member")
    add_member(tenant, "settings@a.test", "member", can_manage_settings=True)
    return tenant


def actor_for(tenant, email):
    from app.auth.models import User

    set_tenant(tenant.id)
    return db.session.scalar(
        select(Membership).join(User, User.id == Membership.user_id).where(User.email == email)
    )


# --- service ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("name", "", "חובה"),
        ("name", "א", "בין 2"),
        ("email", "nope", "אימייל"),
        ("phone", "abc", "טלפון"),
        ("website", "http://", "אתר"),
        ("primary_color", "red", "#RRGGBB"),
        ("business_type", "bakery", "מתוך הרשימה"),
        ("currency", "BTC", "מתוך הרשימה"),
        ("vat_rate", "", "חובה"),
        ("vat_rate", "101", "בין 0 ל-100"),
        ("vat_rate", "-1", "בין 0 ל-100"),
        ("vat_rate", "17.555", "שתי ספרות"),
        ("vat_rate", "שמונה עשר", "מספר"),
        ("fiscal_year_start", "13", "חודש"),
        ("timezone", "Mars/Olympus", "מתוך הרשימה"),
        ("date_format", "YY.MM.DD", "מתוך הרשימה"),
        ("default_billing_type", "barter", "מתוך הרשימה"),
        ("default_hourly_rate", "", "חובה"),  # required when billing is hourly
        ("default_hourly_rate", "-5", "בין 0"),
        ("default_markup_percent", "150", "בין 0 ל-100"),
        ("markup_type", "magic", "מתוך הרשימה"),
        ("disbursement_percent", "x", "מספר"),
        ("default_retainer_percent", "100.5", "בין 0 ל-100"),
    ],
)
def test_each_rule_has_a_hebrew_message(ctx, field, value, fragment):
    with pytest.raises(ValidationFailed) as caught:
        clean_studio_values(VALID | {field: value})
    assert list(caught.value.errors) == [field]
    assert fragment in caught.value.errors[field][0]


def test_clean_values_are_typed():
    values = clean_studio_values(
        VALID | {"default_billing_type": "fixed", "default_hourly_rate": ""}
    )
    assert values["vat_rate"] == Decimal("18.00") and values["fiscal_year_start"] == 4
    assert values["website"] == "https://alef.co.il" and values["primary_color"] == "#E11D48"
    assert values["default_hourly_rate"] is None
    assert clean_studio_values(VALID | {"default_color": True})["primary_color"] is None


def test_update_studio_saves_logs_activity_and_audit(studio):
    owner = actor_for(studio, "owner@a.test")
    changes = update_studio(owner, studio, VALID)
    db.session.commit()
    tenant = db.session.get(Tenant, studio.id)
    assert tenant.vat_rate == Decimal("18.00") and tenant.business_type == "architecture"
    assert tenant.primary_color == "#E11D48" and tenant.fiscal_year_start == 4
    fees = fee_settings_of(tenant)
    assert fees["default_hourly_rate"] == Decimal("350.00")
    assert fees["default_markup_percent"] == Decimal("25.00")
    assert fees["default_billing_type"] == "hourly"
    assert changes["business_type"] == {"old": "interior_design", "new": "architecture"}
    assert changes["fee_settings.default_markup_percent"] == {"old": "20", "new": "25.00"}
    log = db.session.scalar(select(ActivityLog).where(ActivityLog.entity_type == "tenant"))
    assert log.action == "updated" and log.changes["primary_color"]["new"] == "#E11D48"
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "settings.update"))
    assert audit.tenant_id == studio.id and audit.user_email == "owner@a.test"
    assert {"field": "business_type", "old": "interior_design", "new": "architecture"} in (
        audit.changes
    )
    # saving the same values again changes nothing and logs nothing
    assert update_studio(owner, tenant, VALID) == {}


def test_only_settings_managers_may_update(studio):
    with pytest.raises(PermissionDenied):
        update_studio(actor_for(studio, "manager@a.test"), studio, VALID)
    assert update_studio(actor_for(studio, "settings@a.test"), studio, VALID)


def test_custom_field_errors_block_the_whole_save(studio):
    owner = actor_for(studio, "owner@a.test")
    custom_fields.create_definition(
        owner,
        "tenant",
        {
            "name": "מספר עוסק",
            "field_key": "vat_id",
            "field_type": "text",
            "is_required": True,
            "pattern": "[0-9]{9}",
            "pattern_message": "9 ספרות",
            "is_active": True,
        },
    )
    db.session.commit()
    form = custom_fields.custom_field_form("tenant", studio.id, data={"cf-vat_id": "12"})
    with pytest.raises(ValidationFailed) as caught:
        update_studio(owner, studio, VALID, form)
    assert caught.value.errors == {"cf-vat_id": ["9 ספרות"]}
    db.session.rollback()
    assert db.session.get(Tenant, studio.id).business_type == "interior_design"
    form = custom_fields.custom_field_form("tenant", studio.id, data={"cf-vat_id": "514123456"})
    changes = update_studio(owner, studio, VALID, form)
    assert changes["custom.vat_id"] == {"old": None, "new": "514123456"}
    assert custom_fields.values_for("tenant", [studio.id])[studio.id] == {"vat_id": "514123456"}


@pytest.mark.parametrize(
    "color", ["#3399ff", "#ffd400", "#e11d48", "#ffffff", "#000000", "#10b981"]
)
def test_brand_palette_keeps_button_text_readable(color):
    palette = brand_palette(color)
    solid, on = _rgb(palette["--c-primary-solid"]), _rgb(palette["--c-on-primary"])
    assert contrast(solid, on) >= 4.5
    hover = _rgb(palette["--c-primary-solid-hover"])
    assert contrast(hover, on) >= 4.5 and hover != solid
    assert palette["--c-primary-text"].startswith("light-dark(")


# --- routes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "can_edit"),
    [("owner", True), ("manager", False), ("member", False), ("settings", True)],
)
def test_page_per_role(client, studio, role, can_edit):
    login(client, f"{role}@a.test")
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "סטודיו אלף" in page and "לוגו" in page
    assert ("שמירת ההגדרות" in page) is can_edit
    assert (" disabled>" in page or "disabled>" in page) is not can_edit
    status = post_form(client, PAGE, VALID, page=PAGE).status_code
    assert status == (302 if can_edit else 403)


def test_save_then_primary_colour_is_applied_to_html(client, studio):
    login(client, "owner@a.test")
    assert 'style="--c-primary' not in client.get(PAGE).get_data(as_text=True)
    response = post_form(client, PAGE, VALID, page=PAGE)
    assert response.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    html_tag = page[page.index("<html") : page.index(">", page.index("<html"))]
    assert 'style="--c-primary: #e11d48;' in html_tag
    assert "--c-on-primary: #ffffff" in html_tag and "--c-primary-solid-hover" in html_tag
    # every page of the studio gets it; another studio does not
    assert "--c-primary: #e11d48" in client.get("/settings/security").get_data(as_text=True)
    make_studio(name="סטודיו בית", email="owner@b.test")
    other = client.application.test_client()
    login(other, "owner@b.test")
    assert "--c-primary: #e11d48" not in other.get(PAGE).get_data(as_text=True)
    # back to the default palette
    post_form(client, PAGE, VALID | {"default_color": "y"}, page=PAGE)
    assert 'style="--c-primary' not in client.get(PAGE).get_data(as_text=True)


def test_invalid_post_shows_errors_keeps_input_and_writes_nothing(client, studio):
    login(client, "owner@a.test")
    bad = VALID | {"vat_rate": "120", "email": "bad", "name": "סטודיו חדש"}
    response = post_form(client, PAGE, bad, page=PAGE)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "יש להזין ערך בין 0 ל-100." in page and "כתובת האימייל אינה תקינה" in page
    assert 'value="120"' in page and 'value="סטודיו חדש"' in page
    with tenant_scope(studio.id):
        assert db.session.get(Tenant, studio.id).name == "סטודיו אלף"
        assert db.session.scalar(select(ActivityLog.id)) is None


def test_tenant_custom_fields_render_and_save_with_the_page(client, studio):
    with tenant_scope(studio.id):
        owner = db.session.scalar(select(Membership).where(Membership.role == "owner"))
        custom_fields.create_definition(
            owner,
            "tenant",
            {
                "name": "שנת הקמה",
                "field_key": "founded",
                "field_type": "number",
                "min_value": "1900",
                "max_value": "2100",
                "group_name": "היסטוריה",
                "is_active": True,
            },
        )
        db.session.commit()
    login(client, "owner@a.test")
    page = client.get(PAGE).get_data(as_text=True)
    assert 'name="cf-founded"' in page and "היסטוריה" in page
    response = post_form(client, PAGE, VALID | {"cf-founded": "1800"}, page=PAGE)
    assert response.status_code == 422
    assert "הערך חייב להיות 1,900 לפחות." in response.get_data(as_text=True)
    assert post_form(client, PAGE, VALID | {"cf-founded": "2015"}, page=PAGE).status_code == 302
    with tenant_scope(studio.id):
        assert custom_fields.values_for("tenant", [studio.id])[studio.id] == {
            "founded": Decimal("2015")
        }
    assert 'value="2015"' in client.get(PAGE).get_data(as_text=True)


def test_page_query_count_is_flat(client, studio, count_queries):
    login(client, "owner@a.test")
    client.get(PAGE)
    with count_queries() as before:
        client.get(PAGE)
    with tenant_scope(studio.id):
        owner = db.session.scalar(select(Membership).where(Membership.role == "owner"))
        for i in range(8):
            custom_fields.create_definition(
                owner,
                "tenant",
                {"name": f"שדה {i}", "field_key": f"f{i}", "field_type": "text", "is_active": True},
            )
        db.session.commit()
    with count_queries() as after:
        client.get(PAGE)
    assert after.count <= before.count + 2  # the definitions and their values, once each


def _png(width=40, height=20) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (51, 153, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def test_owner_uploads_and_removes_the_logo(client, ctx, make_client):
    import io

    tenant, _ = make_studio(name="אלף", email="owner@a.test")
    login(client, "owner@a.test")
    response = post_form(
        client,
        "/settings/studio/logo",
        {"logo": (io.BytesIO(_png()), "logo.png")},
        page="/settings/studio",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/settings/studio").get_data(as_text=True)
    assert "הלוגו עודכן" in page
    logo_url = re.search(r'class="studio-logo" src="([^"]+)"', page).group(1)
    image = client.get(logo_url)
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    # another studio cannot fetch it
    make_studio(name="בית", email="owner@b.test")
    stranger = make_client()
    login(stranger, "owner@b.test")
    assert stranger.get(logo_url).status_code == 404
    post_form(client, "/settings/studio/logo/remove", page="/settings/studio")
    assert "עדיין לא הועלה לוגו" in client.get("/settings/studio").get_data(as_text=True)


def test_a_logo_that_is_not_an_image_is_refused_with_the_reason(client, ctx):
    import io

    make_studio(name="אלף", email="owner@a.test")
    login(client, "owner@a.test")
    response = post_form(
        client,
        "/settings/studio/logo",
        {"logo": (io.BytesIO(b"%PDF-1.4 not a logo"), "logo.png")},
        page="/settings/studio",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/settings/studio").get_data(as_text=True)
    assert "עדיין לא הועלה לוגו" in page
    assert "תוכן הקובץ אינו תואם לסיומת" in page  # the refusal says why


def test_members_cannot_change_the_logo(client, ctx):
    import io

    tenant, _ = make_studio(name="אלף", email="owner@a.test")
    add_member(tenant, "member@a.test", "member")
    login(client, "member@a.test")
    response = post_form(
        client,
        "/settings/studio/logo",
        {"logo": (io.BytesIO(_png()), "logo.png")},
        page="/settings/studio",
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
