"""Labels: services, the settings page, the widget's attach/detach, tenants, roles, queries."""

import json
import uuid

import pytest
from sqlalchemy import select

from app.activity.models import ActivityLog
from app.core.errors import ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from app.labels.models import EntityLabel, Label
from app.tenants.models import Membership
from tests.conftest import csrf_from, login, post_form
from tests.factories import add_member, make_studio

HX = {"HX-Request": "true"}


@pytest.fixture
def studio(ctx):
    tenant, _ = make_studio(name="סטודיו אלף", email="owner@a.test")
    add_member(tenant, "manager@a.test", "manager")
    add_member(tenant, "member@a.test", "member")
    return tenant


@pytest.fixture
def owner(studio):
    with tenant_scope(studio.id):
        yield db.session.scalar(select(Membership).where(Membership.role == "owner"))


def make_label(owner, name="VIP", types=("project", "client"), color="#FF0000"):
    return labels.create_label(owner, name=name, color=color, entity_types=list(types))


# ---- services --------------------------------------------------------------------------------


def test_create_validates_and_orders(owner):
    vip = make_label(owner)
    urgent = make_label(owner, "דחוף", ("task",))
    assert (vip.order, urgent.order) == (1, 2) and vip.color == "#FF0000"
    with pytest.raises(ValidationFailed) as error:
        labels.create_label(owner, name="vip", color="red", entity_types=[])
    assert set(error.value.errors) == {"name", "color", "entity_types"}
    with pytest.raises(ValidationFailed):
        labels.create_label(owner, name="x", color="#000000", entity_types=["planet"])


def test_attach_detach_and_labels_for(owner):
    vip = make_label(owner)
    urgent = make_label(owner, "דחוף", ("project",))
    task_only = make_label(owner, "משימה", ("task",))
    p1, p2, p3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert labels.attach_label(owner, vip, "project", p1) is True
    assert labels.attach_label(owner, vip, "project", p1) is False  # already there
    labels.attach_label(owner, urgent, "project", p1)
    labels.attach_label(owner, urgent, "project", str(p2))
    with pytest.raises(ValidationFailed):  # does not apply to projects
        labels.attach_label(owner, task_only, "project", p1)
    labels.set_label_active(owner, vip, False)
    with pytest.raises(ValidationFailed):  # inactive
        labels.attach_label(owner, vip, "project", p3)
    result = labels.labels_for("project", [p1, p2, p3])
    assert [x.name for x in result[p1]] == ["VIP", "דחוף"]
    assert [x.name for x in result[p2]] == ["דחוף"] and result[p3] == []
    assert labels.labels_for("client", [p1]) == {p1: []}
    assert labels.detach_label(owner, urgent, "project", p1) is True
    assert labels.detach_label(owner, urgent, "project", p1) is False
    assert [x.name for x in labels.labels_for("project", [p1])[p1]] == ["VIP"]
    log = db.session.scalars(
        select(ActivityLog).where(ActivityLog.entity_id == str(p1)).order_by(ActivityLog.timestamp)
    ).all()
    assert log[0].entity_type == "project"
    assert log[-1].changes == {"labels": {"old": ["VIP", "דחוף"], "new": ["VIP"]}}
    assert [x.name for x in labels.available_labels("project")] == ["דחוף"]


def test_labels_for_is_one_query(owner, count_queries):
    vip = make_label(owner)
    ids = [uuid.uuid4() for _ in range(20)]
    for entity_id in ids:
        labels.attach_label(owner, vip, "project", entity_id)
    db.session.flush()
    with count_queries() as q:
        result = labels.labels_for("project", ids)
    assert q.count == 1 and all(len(result[i]) == 1 for i in ids)


def test_delete_takes_the_label_off_everything_and_reorder(owner):
    vip = make_label(owner)
    other = make_label(owner, "שקט", ("project",))
    labels.attach_label(owner, vip, "project", uuid.uuid4())
    assert labels.delete_label(owner, vip) == 1
    assert db.session.scalar(select(EntityLabel)) is None
    third = make_label(owner, "שלישי", ("task",))
    labels.reorder_labels(owner, [third.id, other.id])
    assert [x.name for x in labels.all_labels()] == ["שלישי", "שקט"]
    labels.move_label(owner, other, "up")
    assert [x.name for x in labels.all_labels()] == ["שקט", "שלישי"]


# ---- routes ----------------------------------------------------------------------------------


def hx_post(client, url, data=None):
    token = csrf_from(client, "/settings/security")
    return client.post(url, data=data or {}, headers={**HX, "X-CSRFToken": token})


def test_settings_page_crud(client, studio):
    login(client, "owner@a.test")
    page = client.get("/settings/labels").get_data(as_text=True)
    assert "עדיין אין תגיות" in page and 'data-realtime-topic="labels"' in page
    response = post_form(
        client, "/settings/labels", {"name": "", "color": "x"}, page="/settings/labels"
    )
    assert response.status_code == 422 and "בחרו לפחות סוג אחד." in response.get_data(as_text=True)
    response = post_form(
        client,
        "/settings/labels",
        {"name": "VIP", "color": "#112233", "entity_types": ["project", "client"]},
        page="/settings/labels",
    )
    assert response.status_code == 302
    with tenant_scope(studio.id):
        vip = db.session.scalar(select(Label))
    assert vip.entity_types == ["project", "client"]
    edit = f"/settings/labels/{vip.id}/edit"
    assert client.get(edit).status_code == 200
    post_form(
        client,
        edit,
        {"name": "לקוח VIP", "color": "#445566", "entity_types": ["client"]},
        page=edit,
    )
    response = hx_post(client, f"/settings/labels/{vip.id}/active", {"active": "0"})
    assert response.status_code == 200 and 'id="labels-list"' in response.get_data(as_text=True)
    with tenant_scope(studio.id):
        db.session.refresh(vip)
        assert (vip.name, vip.color, vip.entity_types, vip.is_active) == (
            "לקוח VIP",
            "#445566",
            ["client"],
            False,
        )
    response = hx_post(client, f"/settings/labels/{vip.id}/delete")
    assert response.status_code == 200
    with tenant_scope(studio.id):
        assert db.session.scalar(select(Label)) is None


def test_widget_attach_and_detach_on_the_preview(client, studio, owner):
    vip = make_label(owner)
    db.session.commit()
    vip_id = vip.id
    login(client, "owner@a.test")
    page = client.get("/settings/labels").get_data(as_text=True)
    widget_id = f"labels-studio-{studio.id}"
    assert f'id="{widget_id}"' in page and "+ הוספת תגית" in page
    attach = f"/labels/studio/{studio.id}/attach"
    response = hx_post(client, attach, {"label_id": str(vip_id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<div id="{widget_id}"')
    assert "הסרת התגית VIP" in html
    with tenant_scope(studio.id):
        assert labels.labels_for("studio", [studio.id])[studio.id][0].id == vip_id
    assert client.get(f"/labels/studio/{studio.id}").status_code == 200
    response = hx_post(client, f"/labels/studio/{studio.id}/detach/{vip_id}")
    assert response.status_code == 200 and "אין תגיות" in response.get_data(as_text=True)
    response = hx_post(client, attach, {"label_id": "nonsense"})
    assert (
        response.status_code == 409
        and json.loads(response.headers["HX-Trigger"])["toast"]["level"] == "error"
    )
    # without JS: back to the page it came from
    token = csrf_from(client, "/settings/labels")
    response = client.post(
        attach,
        data={"csrf_token": token, "label_id": str(vip_id)},
        headers={"Referer": "http://localhost/settings/labels"},
    )
    assert response.status_code == 302 and response.location.endswith("/settings/labels")
    # unknown entity kinds and other ids are not found
    assert (
        hx_post(
            client, f"/labels/project/{uuid.uuid4()}/attach", {"label_id": str(vip_id)}
        ).status_code
        == 404
    )
    assert (
        hx_post(
            client, f"/labels/studio/{uuid.uuid4()}/attach", {"label_id": str(vip_id)}
        ).status_code
        == 404
    )


ROLES = [("owner", 200, True), ("manager", 200, False), ("member", 403, False)]


@pytest.mark.parametrize(("role", "read", "edits"), ROLES)
def test_permission_matrix(client, studio, owner, role, read, edits):
    vip = make_label(owner)
    db.session.commit()
    vip_id = vip.id
    login(client, f"{role}@a.test")
    response = client.get("/settings/labels")
    assert response.status_code == read
    if read == 200:
        page = response.get_data(as_text=True)
        assert ("תגית חדשה" in page) is edits and ("+ הוספת תגית" in page) is edits
    expected = 302 if edits else 403
    anchor = "/settings/security"
    for url, data in [
        ("/settings/labels", {"name": "חדש", "color": "#000000", "entity_types": ["task"]}),
        (
            f"/settings/labels/{vip_id}/edit",
            {"name": "VIP", "color": "#000000", "entity_types": ["task"]},
        ),
        (f"/settings/labels/{vip_id}/active", {"active": "0"}),
        (f"/settings/labels/{vip_id}/move", {"direction": "up"}),
        (f"/labels/studio/{studio.id}/attach", {"label_id": str(vip_id)}),
        (f"/settings/labels/{vip_id}/delete", {}),
    ]:
        assert post_form(client, url, data, page=anchor).status_code == expected, url


def test_another_tenants_labels_are_invisible(client, studio, owner):
    make_label(owner, "שלנו")
    db.session.commit()
    other, _ = make_studio(name="סטודיו בית", email="owner@b.test")
    with tenant_scope(other.id):
        other_owner = db.session.scalar(select(Membership))
        theirs = make_label(other_owner, "של בית")
        labels.attach_label(other_owner, theirs, "project", uuid.uuid4())
        db.session.commit()
        theirs_id = theirs.id
    login(client, "owner@a.test")
    page = client.get("/settings/labels").get_data(as_text=True)
    assert "שלנו" in page and "של בית" not in page
    anchor = "/settings/security"
    assert client.get(f"/settings/labels/{theirs_id}/edit").status_code == 404
    for action in ("active", "delete", "move"):
        assert (
            post_form(client, f"/settings/labels/{theirs_id}/{action}", page=anchor).status_code
            == 404
        )
    assert (
        post_form(
            client, f"/labels/studio/{studio.id}/attach", {"label_id": str(theirs_id)}, page=anchor
        ).status_code
        == 302
    )
    assert (
        post_form(
            client, f"/labels/studio/{other.id}/attach", {"label_id": str(theirs_id)}, page=anchor
        ).status_code
        == 404
    )
    with tenant_scope(studio.id):
        assert db.session.scalar(select(EntityLabel)) is None
        assert labels.usage_counts() == {}


def test_labels_page_query_count_does_not_grow(client, studio, owner, count_queries):
    login(client, "owner@a.test")
    client.get("/settings/labels")
    make_label(owner, "a")
    db.session.commit()
    with count_queries() as few:
        client.get("/settings/labels")
    with tenant_scope(studio.id):
        for i in range(15):
            label = make_label(owner, f"תגית {i}")
            labels.attach_label(owner, label, "project", uuid.uuid4())
            labels.attach_label(owner, label, "studio", studio.id)
        db.session.commit()
    with count_queries() as many:
        client.get("/settings/labels")
    assert many.count == few.count
