"""The lead pipeline: stage moves (service), the board page, moves over HTTP (HTMX and plain
forms), roles, two studios, and a constant number of queries whatever the number of cards."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.activity.models import ActivityLog
from app.contacts import leads as pipeline
from app.contacts import services
from app.contacts.models import Client
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from tests.conftest import csrf_from, login, post_form
from tests.contacts.conftest import HX, ROLES, make_contact, membership
from tests.factories import make_studio

BOARD = "/contacts/leads"


def make_lead(actor, name="ליד חדש", stage="new", **data):
    lead = make_contact(
        actor, name=name, status="lead", email=f"{uuid.uuid4().hex[:10]}@example.com", **data
    )
    if stage != "new":
        reason = "יקר מדי" if stage == "lost" else None
        pipeline.move_to_stage(actor, lead, stage, lost_reason=reason)
    return lead


def stage_moves(lead) -> list:
    return list(
        db.session.scalars(
            select(ActivityLog).where(
                ActivityLog.entity_id == str(lead.id), ActivityLog.action == "status_changed"
            )
        )
    )


def column(html: str, stage: str) -> str:
    """The markup of one column of the board."""
    css = stage.replace("_", "-")
    match = re.search(rf'<section class="lead-column lead-column--{css}".*?</section>', html, re.S)
    assert match, f"no column {stage}"
    return match.group(0)


def count_of(column_html: str) -> int:
    return int(re.search(r'lead-column__count"[^>]*>(\d+)<', column_html).group(1))


def hx_post(client, url, data=None):
    token = csrf_from(client, BOARD)
    return client.post(url, data=data or {}, headers={**HX, "X-CSRFToken": token})


def toast(response) -> dict:
    return json.loads(response.headers["HX-Trigger"])["toast"]


def reload(lead_id, tenant) -> Client:
    with tenant_scope(tenant.id):
        db.session.expire_all()
        return db.session.get(Client, lead_id)


# ---- services ----------------------------------------------------------------------------------


def test_won_makes_an_active_client_and_records_the_move(owner):
    lead = make_lead(owner, "נועה לוי")
    assert (lead.status, lead.lead_stage, lead.converted_at) == ("lead", "new", None)
    changes = pipeline.move_to_stage(owner, lead, "won")
    assert lead.status == "active" and lead.lead_stage == "won"
    assert lead.converted_at is not None
    assert changes["status"] == {"old": "ליד", "new": "פעיל"}
    assert changes["lead_stage"] == {"old": "חדש", "new": "נסגר בהצלחה"}
    (entry,) = stage_moves(lead)
    assert entry.user_id == owner.user_id and entry.client_id == lead.id
    assert entry.changes["status"]["new"] == "פעיל"
    # convert_to_client is the same one action
    other = make_lead(owner, "אבי")
    pipeline.convert_to_client(owner, other)
    assert other.status == "active" and other.lead_stage == "won"


def test_lost_needs_a_reason(owner):
    lead = make_lead(owner)
    for reason in (None, "", "   "):
        with pytest.raises(ValidationFailed) as error:
            pipeline.move_to_stage(owner, lead, "lost", lost_reason=reason)
        assert error.value.errors == {"lost_reason": ["כתבו למה הליד אבד."]}
    with pytest.raises(ValidationFailed) as error:
        pipeline.move_to_stage(owner, lead, "lost", lost_reason="א" * 501)
    assert "lost_reason" in error.value.errors
    assert lead.lead_stage == "new" and stage_moves(lead) == []
    pipeline.move_to_stage(owner, lead, "lost", lost_reason="  בחרו סטודיו אחר ")
    assert (lead.lead_stage, lead.status, lead.lost_reason) == ("lost", "lead", "בחרו סטודיו אחר")
    assert len(stage_moves(lead)) == 1


def test_reopen_from_lost_and_from_won(owner):
    lost = make_lead(owner, "אבד", stage="lost")
    pipeline.move_to_stage(owner, lost, "meeting")
    assert (lost.lead_stage, lost.status, lost.lost_reason) == ("meeting", "lead", None)
    won = make_lead(owner, "נסגר", stage="won")
    assert won.status == "active"
    pipeline.move_to_stage(owner, won, "contacted")
    assert (won.lead_stage, won.status, won.converted_at) == ("contacted", "lead", None)
    # won → lost forgets the conversion: winning again later is a new one
    again = make_lead(owner, "שוב", stage="won")
    pipeline.move_to_stage(owner, again, "lost", lost_reason="ביטלו")
    assert (again.status, again.converted_at) == ("lead", None)


def test_not_a_lead_unknown_stage_and_archived_are_refused(owner):
    active = make_contact(owner, name="לקוח פעיל")  # status active, no lead stage
    with pytest.raises(ValidationFailed) as error:
        pipeline.move_to_stage(owner, active, "contacted")
    assert error.value.errors == {"stage": ["הלקוח הזה אינו ליד."]}
    lead = make_lead(owner)
    with pytest.raises(ValidationFailed) as error:
        pipeline.move_to_stage(owner, lead, "signed")
    assert "stage" in error.value.errors
    services.set_archived(owner, [lead], True)
    with pytest.raises(ValidationFailed):
        pipeline.move_to_stage(owner, lead, "won")
    assert lead.status == "lead"


def test_same_stage_changes_nothing_and_reorder(owner):
    a, b, c = (make_lead(owner, name) for name in ("אלף", "בית", "גימל"))
    assert pipeline.move_to_stage(owner, a, "new") == {}
    assert stage_moves(a) == []
    pipeline.reorder_stage(owner, "new", [str(c.id), str(a.id), "not-an-id", str(b.id)])
    assert (c.lead_stage_order, a.lead_stage_order, b.lead_stage_order) == (1, 2, 4)
    # a card of another stage named in the order is left alone
    d = make_lead(owner, "דלת", stage="meeting")
    order = d.lead_stage_order
    pipeline.reorder_stage(owner, "new", [str(d.id)])
    assert d.lead_stage_order == order


# ---- the board ---------------------------------------------------------------------------------


@pytest.fixture
def pipeline_data(owner):
    """One card in each stage, plus clients that must not be on the board."""
    made = {
        "new": make_lead(
            owner,
            "שרה חדשה",
            lead_source="instagram",
            lead_score="82",
            mobile="050-1234567",
        ),
        "new2": make_lead(owner, "משה חדש", lead_source="referral"),
        "contacted": make_lead(owner, "רות בקשר", stage="contacted"),
        "meeting": make_lead(owner, "דוד בפגישה", stage="meeting"),
        "proposal_sent": make_lead(owner, "מיכל בהצעה", stage="proposal_sent"),
        "won": make_lead(owner, "יעל שנסגרה", stage="won"),
        "lost": make_lead(owner, "גיל שאבד", stage="lost"),
        "old_won": make_lead(owner, "ישן שנסגר", stage="won"),
        "old_lost": make_lead(owner, "ישן שאבד", stage="lost"),
        "archived": make_lead(owner, "ליד בארכיון"),
        "active": make_contact(owner, name="לקוח רגיל", email="regular@example.com"),
    }
    made["old_won"].converted_at = utcnow() - timedelta(days=31)
    made["old_lost"].updated_at = utcnow() - timedelta(days=91)
    services.set_archived(owner, [made["archived"]], True)
    vip = labels.create_label(owner, name="VIP", color="#FF0000", entity_types=["client"])
    labels.attach_label(owner, vip, "client", made["new"].id)
    db.session.commit()
    return made


def test_board_shows_each_stage_with_its_cards_and_counts(client, studio, pipeline_data):
    login(client, "member@a.test")
    response = client.get(BOARD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-realtime-topic="leads"' in html and 'data-realtime-topics="leads"' in html
    positions = [html.index(f"lead-column--{s}") for s in ("new", "contacted", "meeting")]
    assert positions == sorted(positions)
    expected = {
        "new": ("חדש", ["שרה חדשה", "משה חדש"]),
        "contacted": ("נוצר קשר", ["רות בקשר"]),
        "meeting": ("פגישה", ["דוד בפגישה"]),
        "proposal_sent": ("הצעה נשלחה", ["מיכל בהצעה"]),
        "won": ("נסגר בהצלחה", ["יעל שנסגרה"]),
        "lost": ("אבד", ["גיל שאבד"]),
    }
    for stage, (label, names) in expected.items():
        part = column(html, stage)
        assert label in part and count_of(part) == len(names), stage
        for name in names:
            assert name in part
    for hidden in ("ישן שנסגר", "ישן שאבד", "ליד בארכיון", "לקוח רגיל"):
        assert hidden not in html
    assert "30 הימים האחרונים" in column(html, "won")
    assert "90 הימים האחרונים" in column(html, "lost")
    assert "יקר מדי" in column(html, "lost")
    new = column(html, "new")
    sarah = pipeline_data["new"]
    assert f'href="/contacts/{sarah.id}"' in new
    assert 'href="tel:050-1234567"' in new and "אינסטגרם" in new and "המלצה" in new
    assert 'lead-score__value">82<' in new and "VIP" in new
    # open stages offer "convert"; every card has its "move to…" menu without its own stage
    assert f'id="lead-{sarah.id}-convert"' in new and f'id="lead-{sarah.id}-move"' in new
    assert "-convert" not in column(html, "won")


def test_board_filters_by_source_and_name(client, studio, pipeline_data):
    login(client, "owner@a.test")
    html = client.get(f"{BOARD}?lead_source=instagram").get_data(as_text=True)
    assert "שרה חדשה" in html and "משה חדש" not in html and "רות בקשר" not in html
    assert count_of(column(html, "new")) == 1
    assert '<option value="instagram" selected>' in html
    html = client.get(f"{BOARD}?q=בפגישה").get_data(as_text=True)
    assert "דוד בפגישה" in html and "שרה חדשה" not in html
    # the moves keep the filters (the answer re-renders the same board)
    assert "q=%D7%91%D7%A4%D7%92%D7%99%D7%A9%D7%94" in html
    html = client.get(f"{BOARD}?q=אין-כזה").get_data(as_text=True)
    assert "לא נמצאו לידים" in html


def test_htmx_gets_only_the_board(client, studio, pipeline_data):
    login(client, "owner@a.test")
    html = client.get(BOARD, headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="leads-board"') and "<html" not in html


def test_empty_board_explains_and_links_to_a_new_lead(client, studio):
    login(client, "owner@a.test")
    html = client.get(BOARD).get_data(as_text=True)
    assert "אין עדיין לידים" in html
    assert 'href="/contacts?tab=clients&amp;new=1"' in html
    assert "lead-column--new" not in html


def test_column_is_capped_with_a_link_to_the_rest(client, studio, owner, monkeypatch):
    from app.contacts.routes import leads as board_routes

    monkeypatch.setattr(board_routes, "CARDS_PER_COLUMN", 2)
    for i in range(5):
        make_lead(owner, f"ליד {i}")
    db.session.commit()
    login(client, "owner@a.test")
    new = column(client.get(BOARD).get_data(as_text=True), "new")
    assert count_of(new) == 5 and new.count('class="lead-card"') == 2
    assert "ועוד 3 לידים" in new and "lead_stage=new" in new


# ---- moving cards over HTTP --------------------------------------------------------------------


def test_move_with_htmx_answers_with_the_board_and_a_toast(client, studio, owner):
    lead = make_lead(owner, "נועה")
    db.session.commit()
    login(client, "member@a.test")
    response = hx_post(client, f"/contacts/{lead.id}/stage", {"stage": "meeting"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="leads-board"')
    assert "נועה" in column(html, "meeting") and "נועה" not in column(html, "new")
    assert toast(response) == {"message": "נועה הועבר לשלב פגישה", "level": "success"}
    assert reload(lead.id, studio).lead_stage == "meeting"

    response = hx_post(client, f"/contacts/{lead.id}/stage", {"stage": "won"})
    assert toast(response)["message"] == "נועה הפך ללקוח פעיל"
    converted = reload(lead.id, studio)
    assert converted.status == "active" and converted.converted_at is not None


def test_drop_with_an_order_places_the_card(client, studio, owner):
    a, b, c = (make_lead(owner, name, stage="contacted") for name in ("אלף", "בית", "גימל"))
    moving = make_lead(owner, "חדש שעובר")
    db.session.commit()
    ids = [str(a.id), str(moving.id), str(b.id), str(c.id)]
    login(client, "owner@a.test")
    response = hx_post(client, f"/contacts/{moving.id}/stage", {"stage": "contacted", "order": ids})
    assert response.status_code == 200
    part = column(response.get_data(as_text=True), "contacted")
    assert [part.index(n) for n in ("אלף", "חדש שעובר", "בית", "גימל")] == sorted(
        part.index(n) for n in ("אלף", "חדש שעובר", "בית", "גימל")
    )
    # the same column in another order: no move, no toast
    response = hx_post(
        client, f"/contacts/{c.id}/stage", {"stage": "contacted", "order": ids[::-1]}
    )
    assert response.status_code == 200 and "HX-Trigger" not in response.headers
    assert reload(c.id, studio).lead_stage_order == 1


def test_plain_form_move_redirects_back_to_the_board(client, studio, owner):
    lead = make_lead(owner, "נועה")
    db.session.commit()
    login(client, "owner@a.test")
    response = post_form(
        client, f"/contacts/{lead.id}/stage?lead_source=instagram", {"stage": "won"}, page=BOARD
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/contacts/leads?lead_source=instagram#lead-{lead.id}")
    assert reload(lead.id, studio).status == "active"
    assert "נועה הפך ללקוח פעיל" in client.get(BOARD).get_data(as_text=True)


def test_lost_without_a_reason_is_refused_with_the_message(client, studio, owner):
    lead = make_lead(owner, "נועה", stage="meeting")
    db.session.commit()
    login(client, "owner@a.test")
    url = f"/contacts/{lead.id}/stage"
    response = hx_post(client, url, {"stage": "lost", "lost_reason": " "})
    assert response.status_code == 422
    assert toast(response) == {"message": "כתבו למה הליד אבד.", "level": "error"}
    # the board as it is, so the dragged card goes back to its column
    assert "נועה" in column(response.get_data(as_text=True), "meeting")
    # without JavaScript: the page again, asking for the reason
    response = post_form(client, url, {"stage": "lost"}, page=BOARD)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "כתבו למה הליד אבד." in html and 'name="lost_reason"' in html
    assert "למה הליד נועה אבד?" in html
    assert reload(lead.id, studio).lead_stage == "meeting"
    response = post_form(client, url, {"stage": "lost", "lost_reason": "תקציב"}, page=BOARD)
    assert response.status_code == 302
    assert reload(lead.id, studio).lost_reason == "תקציב"


def test_moving_a_client_that_is_not_a_lead_is_refused(client, studio, owner):
    regular = make_contact(owner, name="לקוח רגיל")
    db.session.commit()
    login(client, "owner@a.test")
    response = hx_post(client, f"/contacts/{regular.id}/stage", {"stage": "won"})
    assert response.status_code == 422 and toast(response)["message"] == "הלקוח הזה אינו ליד."
    supplier = make_contact(owner, "supplier")
    db.session.commit()
    assert hx_post(client, f"/contacts/{supplier.id}/stage", {"stage": "won"}).status_code == 404


def test_board_query_count_does_not_grow_with_cards(client, studio, owner, count_queries):
    vip = labels.create_label(owner, name="VIP", color="#FF0000", entity_types=["client"])
    stages = ("new", "contacted", "meeting", "proposal_sent", "won", "lost")

    def add_leads(count, offset):
        for i in range(count):
            lead = make_lead(
                owner,
                f"ליד {offset + i}",
                stage=stages[i % len(stages)],
                lead_source="google",
                lead_score=str(i),
            )
            labels.attach_label(owner, vip, "client", lead.id)
        db.session.commit()

    add_leads(3, 0)
    login(client, "owner@a.test")
    client.get(BOARD)
    with count_queries() as few:
        assert client.get(BOARD).status_code == 200
    add_leads(27, 3)
    with count_queries() as many:
        html = client.get(BOARD).get_data(as_text=True)
    assert html.count('class="lead-card"') == 30
    assert many.count == few.count


# ---- roles and tenants -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_view_and_move(client, studio, owner, role):
    lead = make_lead(owner, "נועה")
    db.session.commit()
    login(client, f"{role}@a.test")
    assert client.get(BOARD).status_code == 200
    response = post_form(client, f"/contacts/{lead.id}/stage", {"stage": "contacted"}, page=BOARD)
    assert response.status_code == 302
    assert reload(lead.id, studio).lead_stage == "contacted"


def test_signed_out_goes_to_login(client, studio, owner):
    lead = make_lead(owner)
    db.session.commit()
    response = client.get(BOARD)
    assert response.status_code == 302 and "/login" in response.location
    response = post_form(client, f"/contacts/{lead.id}/stage", {"stage": "won"})
    assert response.status_code == 302 and "/login" in response.location
    assert reload(lead.id, studio).lead_stage == "new"


def test_another_studios_leads_are_invisible_and_immovable(client, studio, owner):
    ours_id = make_lead(owner, "הליד שלנו").id
    db.session.commit()
    other, _ = make_studio(name="סטודיו בית", email="owner@b.test")
    with tenant_scope(other.id):
        theirs = make_lead(membership(other), "הליד שלהם")
        db.session.commit()
        theirs_id = theirs.id
    login(client, "owner@a.test")
    html = client.get(BOARD).get_data(as_text=True)
    assert "הליד שלנו" in html and "הליד שלהם" not in html
    for status, response in (
        (404, post_form(client, f"/contacts/{theirs_id}/stage", {"stage": "won"}, page=BOARD)),
        (404, hx_post(client, f"/contacts/{theirs_id}/stage", {"stage": "won"})),
    ):
        assert response.status_code == status
    assert reload(theirs_id, other).lead_stage == "new"
    # the order of a column never touches another studio's cards
    hx_post(client, f"/contacts/{ours_id}/stage", {"stage": "new", "order": [str(theirs_id)]})
    assert reload(theirs_id, other).lead_stage_order == 0
