from datetime import timedelta

import pytest
from sqlalchemy import select

from app.activity.models import ActivityLog
from app.activity.services import diff, record_activity
from app.core.db import utcnow
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership
from tests.conftest import login, post_form
from tests.factories import add_member, make_studio


def test_diff_applies_values_and_reports_only_real_changes(ctx):
    tenant, _ = make_studio(email="owner@a.test")
    with tenant_scope(tenant.id):
        member = db.session.scalar(select(Membership))
        changes = diff(member, {"role": "owner", "can_view_financials": True, "is_active": True})
    assert changes == {}
    with tenant_scope(tenant.id):
        changes = diff(member, {"role": "manager", "is_active": True})
    assert changes == {"role": {"old": "owner", "new": "manager"}}
    assert member.role == "manager"


def test_record_activity_skips_empty_updates_and_refuses_unknown_actions(ctx):
    tenant, _ = make_studio(email="owner@a.test")
    with tenant_scope(tenant.id):
        member = db.session.scalar(select(Membership))
        assert record_activity(member, "updated", member, changes={}) is None
        entry = record_activity(member, "viewed", member)
        assert entry.entity_type == "membership" and entry.entity_name == "נועה לוי"
        with pytest.raises(ValueError):
            record_activity(member, "exploded", member)


@pytest.fixture
def studio_with_history(client, ctx):
    tenant, _ = make_studio(name="אלף", email="owner@a.test")
    member = add_member(tenant, "member@a.test", "member")
    add_member(tenant, "manager@a.test", "manager")
    login(client, "owner@a.test")
    post_form(
        client,
        f"/settings/users/{member.id}",
        {"role": "member", "can_view_financials": "y"},
        page="/settings/users",
    )
    post_form(
        client,
        "/settings/users/invite",
        {"email": "new@a.test", "role": "member"},
        page="/settings/users",
    )
    with tenant_scope(tenant.id):
        db.session.refresh(member)  # loaded under its tenant: later reads need no scope
    return tenant, member


@pytest.mark.smoke
def test_feed_shows_who_changed_what_old_to_new(client, studio_with_history):
    page = client.get("/activity").get_data(as_text=True)
    assert "נועה לוי" in page and "עדכן/ה" in page
    assert "צפייה בנתונים כספיים" in page  # the field's Hebrew name
    assert "הזמנה לצוות" in page


def test_feed_filters_by_kind_user_and_dates(client, studio_with_history):
    tenant, _member = studio_with_history
    page = client.get("/activity?entity_type=team_invitation").get_data(as_text=True)
    assert "הזמנה לצוות" in page and "צפייה בנתונים כספיים" not in page
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    page = client.get(f"/activity?date_from={tomorrow}").get_data(as_text=True)
    assert "אין פעילות להצגה" in page
    bad = client.get("/activity?date_from=2026-05-02&date_to=2026-05-01")
    assert bad.status_code == 422 and "תאריך הסיום" in bad.get_data(as_text=True)
    fragment = client.get("/activity?entity_type=membership", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert 'id="activity-feed"' in body and "<html" not in body


def test_feed_is_paginated(client, studio_with_history):
    tenant, member = studio_with_history
    with tenant_scope(tenant.id):
        owner = db.session.scalar(select(Membership).where(Membership.role == "owner"))
        for n in range(30):
            record_activity(owner, "viewed", member, description=f"צפייה {n}")
        db.session.commit()
    first = client.get("/activity").get_data(as_text=True)
    assert "עמוד 1 מתוך 2" in first
    assert "עמוד 2 מתוך 2" in client.get("/activity?page=2").get_data(as_text=True)


def test_members_see_only_their_own_activity(client, make_client, studio_with_history):
    member_client = make_client()
    login(member_client, "member@a.test")
    page = member_client.get("/activity").get_data(as_text=True)
    assert "אין פעילות להצגה" in page


def test_other_studios_activity_never_shows(client, studio_with_history, make_client):
    member_id = studio_with_history[1].id
    make_studio(name="בית", email="owner@b.test")
    other = make_client()
    login(other, "owner@b.test")
    page = other.get("/activity").get_data(as_text=True)
    assert "אין פעילות להצגה" in page
    history = other.get(f"/activity/membership/{member_id}").get_data(as_text=True)
    assert "עדיין אין היסטוריה" in history


def test_entity_history_fragment(client, studio_with_history):
    _tenant, member = studio_with_history
    body = client.get(f"/activity/membership/{member.id}").get_data(as_text=True)
    assert 'id="activity-history"' in body and "צפייה בנתונים כספיים" in body


def test_feed_queries_do_not_grow_with_entries(client, studio_with_history, count_queries):
    tenant, member = studio_with_history
    with count_queries() as few:
        client.get("/activity")
    with tenant_scope(tenant.id):
        owner = db.session.scalar(select(Membership).where(Membership.role == "owner"))
        for n in range(20):
            record_activity(owner, "viewed", member, description=str(n))
        db.session.commit()
    with count_queries() as many:
        client.get("/activity")
    assert many.count == few.count


def test_activity_rows_are_tenant_scoped(ctx):
    a, _ = make_studio(name="אלף", email="owner@a.test")
    b, _ = make_studio(name="בית", email="owner@b.test")
    for tenant in (a, b):
        with tenant_scope(tenant.id):
            owner = db.session.scalar(select(Membership))
            record_activity(owner, "viewed", owner)
            db.session.commit()
    with tenant_scope(a.id):
        rows = db.session.scalars(select(ActivityLog)).all()
    assert {r.tenant_id for r in rows} == {a.id}
