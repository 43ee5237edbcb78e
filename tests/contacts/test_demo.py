"""`flask seed-demo` fills studio 1's address book once, through the real services."""

from collections import Counter

from sqlalchemy import func, select

from app.contacts import queries
from app.contacts.models import Client, ClientImportantDate, CommunicationLog, Professional
from app.contacts.queries import ContactFilters
from app.core.tenancy import tenant_scope
from app.demo import seed_demo
from app.extensions import db
from app.labels import services as labels
from app.tenants.models import Tenant


def studio(slug):
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def address_book() -> dict:
    return {
        "tabs": queries.tab_counts(),
        "log": db.session.scalar(select(func.count(CommunicationLog.id))),
        "dates": db.session.scalar(select(func.count(ClientImportantDate.id))),
        "labels": sorted(label.name for label in labels.all_labels()),
    }


def test_seed_demo_fills_studio_one_once(app):
    # An app context without a request, as in `flask seed-demo`.
    with app.app_context():
        check_seed_demo()


def check_seed_demo():
    assert seed_demo() is True
    with tenant_scope(studio("demo-studio-1").id):
        first = address_book()
        assert first["tabs"] == {"client": 30, "supplier": 15, "professional": 10}
        assert first["log"] == 15 and first["dates"] == 4
        assert {"VIP", "ממליץ", "דחוף"} <= set(first["labels"])

        clients = list(db.session.scalars(select(Client)))
        leads = Counter(c.lead_stage for c in clients if c.status == "lead")
        assert leads == {"new": 3, "contacted": 3, "meeting": 3, "proposal_sent": 3, "lost": 2}
        won = [c for c in clients if c.lead_stage == "won"]
        assert len(won) == 2 and all(c.status == "active" and c.converted_at for c in won)
        assert all(c.lost_reason for c in clients if c.lead_stage == "lost")
        assert [c.lead_stage_order for c in clients if c.lead_stage == "new"] != [0, 0, 0]
        assert sum(c.referred_by_client_id is not None for c in clients) >= 2
        past = [c for c in clients if c.status == "past"]
        assert past and all(c.satisfaction_rating for c in past)
        assert sum(bool(c.testimonial) for c in past) >= 4
        assert all(c.email and c.mobile_digits.startswith("05") for c in clients)

        expiring = queries.list_contacts(ContactFilters(kind="professional", insurance="expiring"))
        assert expiring.total == 2
        assert all(p.trade_key for p in db.session.scalars(select(Professional)))
        vip = next(label for label in labels.all_labels() if label.name == "VIP")
        tagged = queries.list_contacts(ContactFilters(kind="supplier", label=[str(vip.id)]))
        assert [s.name for s in tagged.items] == ["אור-לי תאורה"]

    assert seed_demo() is False  # nothing is added twice
    with tenant_scope(studio("demo-studio-1").id):
        assert address_book() == first
    with tenant_scope(studio("demo-studio-2").id):
        assert queries.tab_counts() == {"client": 0, "supplier": 0, "professional": 0}
