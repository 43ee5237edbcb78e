import pytest
from sqlalchemy import select

from app.configuration.models import ConfigurableEntity
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership, Tenant
from tests.conftest import post_form

GOOD = {
    "studio_name": "סטודיו שמש",
    "business_type": "interior_design",
    "first_name": "רותם",
    "last_name": "אבן",
    "email": "Rotem@Shemesh.test",
    "password": "Bright-Rooms-7",
}


@pytest.mark.smoke
def test_signup_creates_studio_owner_and_default_configuration(client, ctx):
    response = post_form(client, "/signup", GOOD, page="/signup")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "סטודיו שמש" in page and "רותם" in page

    tenant = db.session.scalar(select(Tenant))
    assert tenant.email == "rotem@shemesh.test" and tenant.currency == "ILS"
    with tenant_scope(tenant.id):
        owner = db.session.scalar(select(Membership))
        assert owner.role == "owner" and owner.has("can_manage_settings")
        phases = db.session.scalars(
            select(ConfigurableEntity)
            .where(ConfigurableEntity.entity_type == "project_phase")
            .order_by(ConfigurableEntity.order)
        ).all()
        kinds = set(db.session.scalars(select(ConfigurableEntity.entity_type)))
    assert [(p.name, p.color) for p in phases] == [
        ("ייעוץ ראשוני", "#E8E8E8"),
        ("קונספט", "#B8D4E8"),
        ("תכנון מפורט", "#7FB8D8"),
        ("רכש", "#4A9CC8"),
        ("התקנה וביצוע", "#2080B8"),
        ("מסירה", "#28A745"),
    ]
    assert phases[-1].is_final
    assert kinds == {
        "project_type",
        "project_status",
        "project_phase",
        "task_status",
        "product_category",
        "room_type",
        "supplier_category",
        "trade",
        "document_category",
        "expense_category",
        "lead_source",
    }


def test_signup_errors_keep_input_and_write_nothing(client, ctx):
    bad = GOOD | {"email": "not-an-email", "password": "short", "studio_name": "x"}
    response = post_form(client, "/signup", bad, page="/signup")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "כתובת האימייל אינה תקינה" in page
    assert "לפחות 8 תווים" in page
    assert "בין 2 ל-100 תווים" in page
    assert 'value="רותם"' in page
    assert db.session.scalar(select(Tenant)) is None


def test_duplicate_email_is_refused_with_a_way_forward(client, ctx, make_client):
    post_form(client, "/signup", GOOD, page="/signup")
    other = make_client()
    response = post_form(other, "/signup", GOOD | {"studio_name": "סטודיו אחר"}, page="/signup")
    assert response.status_code == 422
    assert "כבר קיים חשבון עם האימייל הזה" in response.get_data(as_text=True)
    assert db.session.query(Tenant).count() == 1
