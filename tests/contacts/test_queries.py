"""The contacts list: search, filters, sorting, paging, URL arguments, the number of queries,
and another studio's contacts never showing."""

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from app.contacts import queries, services
from app.contacts.queries import SORTABLE, ContactFilters, list_contacts
from app.core.tenancy import tenant_scope
from app.custom_fields import queries as custom_queries
from app.custom_fields import services as custom_fields
from app.custom_fields.models import CustomFieldValue
from app.extensions import db
from app.labels import services as labels
from tests.contacts.conftest import make_contact, membership


def found(kind="client", filter_definitions=(), **filters) -> set[str]:
    """Names of the contacts of `kind` the filters match (one page of up to 100)."""
    page = list_contacts(
        ContactFilters(kind=kind, per_page=100, **filters), filter_definitions=filter_definitions
    )
    return {c.name for c in page.items}


@pytest.fixture
def people(owner):
    """Clients, suppliers and professionals with values to search, filter and sort by."""
    today = date.today()
    clients = [
        ("אביגיל", "lead", "instagram", 80, "חיפה", "050-1234567", None),
        ("בני", "active", "referral", 40, "תל אביב", None, "052-7654321"),
        ("גלית", "past", None, None, "ירושלים", "03-5551234", None),
        ("דניאל", "active", "referral", 40, None, None, None),
        ("Ella", "inactive", "google", 95, "חיפה", None, None),
    ]
    for name, status, source, score, city, phone, mobile in clients:
        make_contact(
            owner,
            name=name,
            status=status,
            lead_source=source or "",
            lead_score=str(score or ""),
            city=city or "",
            phone=phone or "",
            mobile=mobile or "",
            email=f"{name.lower() if name.isascii() else 'x' + str(len(name))}@mail.test",
        )
    for name, category, rating, discount, person in (
        ("אור תאורה", "lighting", 5, "12.5", "שלמה"),
        ("בית הרהיט", "furniture", 3, None, "רינה"),
        ("גל קרמיקה", "tiles", None, "5", None),
    ):
        make_contact(
            owner,
            "supplier",
            name=name,
            category_key=category,
            rating=str(rating or ""),
            discount_percent=discount or "",
            contact_person=person or "",
        )
    for name, trade, expiry, company in (
        ("אבי חשמל", "electrician", today - timedelta(days=5), "א.ב. חשמל"),
        ("בועז", "plumber", today + timedelta(days=10), None),
        ("גדי", "electrician", today + timedelta(days=30), None),
        ("דוד", "carpenter", today + timedelta(days=31), None),
        ("הדס", "painter", None, None),
    ):
        make_contact(
            owner,
            "professional",
            name=name,
            trade_key=trade,
            insurance_expiry=expiry.isoformat() if expiry else "",
            company_name=company or "",
            phone="054-0000000",
        )
    return owner


# ---- search and filters ------------------------------------------------------------------------


def test_search_by_name_email_phone_digits_and_city(people):
    assert found(q="ella") == {"Ella"}  # case-insensitive
    assert found(q="ELLA@MAIL") == {"Ella"}
    assert found(q="+972 50 123") == {"אביגיל"}  # digits of any format, +972 = 0
    assert found(q="7654321") == {"בני"}  # the mobile
    assert found(q="03-555") == {"גלית"}
    assert found(q="חיפה") == {"אביגיל", "Ella"}
    assert found("supplier", q="רינה") == {"בית הרהיט"}  # contact person
    assert found("professional", q="א.ב.") == {"אבי חשמל"}  # company name
    assert found(q="אין כזה") == set()
    assert found(q="%") == found(q="_") == set()  # characters, not wildcards


def test_filter_by_status_source_category_and_trade(people):
    assert found(status=["active"]) == {"בני", "דניאל"}
    assert found(status=["lead", "past"]) == {"אביגיל", "גלית"}
    assert found(lead_source=["referral", "google"]) == {"בני", "דניאל", "Ella"}
    assert found(status=["active"], lead_source=["google"]) == set()  # filters combine
    assert found("supplier", category=["lighting", "tiles"]) == {"אור תאורה", "גל קרמיקה"}
    assert found("professional", category=["electrician"]) == {"אבי חשמל", "גדי"}
    assert found("supplier", status=["active"]) == found("supplier")  # client-only: ignored


def test_insurance_expired_or_expiring_within_30_days(people):
    assert found("professional", insurance="expiring") == {"אבי חשמל", "בועז", "גדי"}
    assert len(found("professional")) == 5
    assert found("supplier", insurance="expiring") == found("supplier")


def test_archived_contacts_only_in_the_archive(people, owner):
    [bni] = services.get_many(
        "client", [c.id for c in list_contacts(ContactFilters(q="בני")).items]
    )
    services.set_archived(owner, [bni], True)
    assert "בני" not in found() and found(archived=True) == {"בני"}
    assert queries.tab_counts() == {"client": 4, "supplier": 3, "professional": 5}
    assert "בני" not in dict((n, i) for i, n in queries.client_choices())


def test_filter_by_label(people, owner):
    vip = labels.create_label(owner, name="VIP", color="#FF0000", entity_types=["client"])
    page = list_contacts(ContactFilters(status=["active"]))
    for contact in page.items:
        labels.attach_label(owner, vip, "client", contact.id)
    assert found(label=[str(vip.id)]) == {"בני", "דניאל"}
    assert found(label=["not-a-uuid"]) == found()  # a broken link shows everything
    labelled = list_contacts(ContactFilters(label=[str(vip.id)]))
    assert {tuple(x.name for x in v) for v in labelled.labels.values()} == {("VIP",)}


def test_filter_by_custom_fields_shown_in_filters(people, owner):
    style = custom_fields.create_definition(
        owner,
        "client",
        {
            "name": "סגנון",
            "field_key": "style",
            "field_type": "multiselect",
            "options": [{"label": "מודרני"}, {"label": "כפרי"}],
            "show_in_filter": True,
            "show_in_list": True,
            "is_active": True,
        },
    )
    floor = custom_fields.create_definition(
        owner,
        "client",
        {"name": "קומה", "field_key": "floor", "field_type": "text", "is_active": True},
    )
    by_name = {c.name: c for c in list_contacts(ContactFilters(per_page=100)).items}
    for name, value in (
        ("אביגיל", '["מודרני"]'),
        ("בני", '["מודרני", "כפרי"]'),
        ("גלית", '["כפרי"]'),
    ):
        db.session.add(
            CustomFieldValue(
                field_id=style.id, entity_type="client", entity_id=by_name[name].id, value=value
            )
        )
    db.session.add(
        CustomFieldValue(
            field_id=floor.id, entity_type="client", entity_id=by_name["בני"].id, value="Third"
        )
    )
    db.session.flush()
    filter_defs = custom_queries.definitions("client", flag="filter")
    assert [d.field_key for d in filter_defs] == ["style"]
    assert found(custom={"style": "מודרני"}, filter_definitions=filter_defs) == {"אביגיל", "בני"}
    # A field not offered as a filter is ignored rather than trusted from the URL.
    assert found(custom={"floor": "third"}, filter_definitions=filter_defs) == found()
    everything = [style, floor]
    assert found(custom={"floor": "THIRD"}, filter_definitions=everything) == {"בני"}
    page = list_contacts(ContactFilters(q="בני"), list_definitions=[style])
    assert list(page.custom_values.values()) == [{"style": ["מודרני", "כפרי"]}]


# ---- sorting and paging ---------------------------------------------------------------------------


def sort_key(value):
    return value.lower() if isinstance(value, str) else value


@pytest.mark.parametrize(
    "kind, column", [(kind, column) for kind, columns in SORTABLE.items() for column in columns]
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_sortable_column_both_ways_with_nulls_last(people, kind, column, direction):
    items = list_contacts(
        ContactFilters(kind=kind, sort=column, direction=direction, per_page=100)
    ).items
    values = [getattr(c, column) for c in items]
    present = [v for v in values if v is not None]
    assert values == present + [None] * (len(values) - len(present)), "NULLs come last"
    expected = sorted(present, key=sort_key, reverse=direction == "desc")
    assert [sort_key(v) for v in present] == [sort_key(v) for v in expected]
    for a, b in zip(items, items[1:], strict=False):  # ties: by id, so pages never overlap
        if getattr(a, column) == getattr(b, column):
            assert a.id < b.id


def test_pages_do_not_overlap_and_clamp_past_the_end(people):
    pages = [
        list_contacts(ContactFilters(sort="lead_score", direction="asc", page=n, per_page=2))
        for n in (1, 2, 3)
    ]
    seen = [c.name for p in pages for c in p.items]
    assert len(seen) == len(set(seen)) == 5
    assert (pages[0].total, pages[0].pages, pages[0].has_prev, pages[0].has_next) == (5, 3, 0, 1)
    beyond = list_contacts(ContactFilters(sort="lead_score", direction="asc", page=99, per_page=2))
    assert beyond.page == 3 and [c.name for c in beyond.items] == [c.name for c in pages[2].items]
    assert not beyond.has_next and beyond.has_prev
    empty = list_contacts(ContactFilters(q="אין כזה", page=4))
    assert (empty.items, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)


# ---- URL arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        ContactFilters(),
        ContactFilters(
            kind="client",
            q="דנה",
            status=["lead", "active"],
            lead_source=["instagram"],
            label=["6f1c2a0e-8c1e-4b8e-9b7a-2d2f9a3f0c11"],
            archived=True,
            custom={"style": "מודרני"},
            sort="name",
            direction="asc",
            page=3,
            per_page=50,
        ),
        ContactFilters(kind="supplier", category=["lighting"], sort="rating", direction="desc"),
        ContactFilters(
            kind="professional", insurance="expiring", sort="created_at", direction="asc"
        ),
    ],
)
def test_filters_round_trip_through_url_arguments(filters):
    args = MultiDict(filters.args(page=filters.page if filters.page > 1 else None))
    assert ContactFilters.from_args(filters.kind, args) == filters


def test_from_args_ignores_junk():
    args = MultiDict(
        {"sort": "tenant_id", "page": "x", "per_page": "33", "insurance": "expiring", "status": ""}
    )
    filters = ContactFilters.from_args("client", args)
    assert (filters.sort, filters.direction, filters.page, filters.per_page) == (
        "created_at",
        "desc",
        1,
        25,
    )
    assert filters.insurance == "" and filters.status == [] and filters.active_count == 0
    assert ContactFilters.from_args("client", MultiDict({"sort": "name"})).direction == "asc"
    assert ContactFilters.from_args("client", MultiDict({"page": "-4"})).page == 1
    assert ContactFilters.from_args("client", MultiDict({"q": " " + "א" * 300})).q == "א" * 100
    assert ContactFilters(status=["lead"], archived=True, custom={"a": "b"}).active_count == 3


# ---- queries and tenants ----------------------------------------------------------------------------


def test_list_uses_a_constant_number_of_queries(owner, count_queries):
    vip = labels.create_label(owner, name="VIP", color="#FF0000", entity_types=["client"])
    style = custom_fields.create_definition(
        owner,
        "client",
        {"name": "סגנון", "field_type": "text", "show_in_list": True, "is_active": True},
    )

    def add_clients(n, start):
        for i in range(start, start + n):
            client = make_contact(owner, name=f"לקוח {i}", email=f"c{i}@mail.test")
            labels.attach_label(owner, vip, "client", client.id)
            db.session.add(
                CustomFieldValue(
                    field_id=style.id, entity_type="client", entity_id=client.id, value="x"
                )
            )
        db.session.flush()

    def queries_for_one_page():
        with count_queries() as counter:
            page = list_contacts(ContactFilters(per_page=50), list_definitions=[style])
            assert all(page.labels[c.id] for c in page.items)
            assert all(page.custom_values[c.id] for c in page.items)
        return len(page.items), counter.count

    add_clients(3, 0)
    small = queries_for_one_page()
    add_clients(27, 3)
    large = queries_for_one_page()
    assert (small[0], large[0]) == (3, 30)
    assert small[1] == large[1] <= 4  # count, page, labels, custom values


def test_another_studios_contacts_never_listed(other_studio, owner):
    with tenant_scope(other_studio.id):
        actor = membership(other_studio, "owner")
        make_contact(actor, name="דנה זרה", email="dana@example.com")
        make_contact(actor, "supplier", name="ספק זר")
        db.session.commit()
    mine = make_contact(owner, name="דנה שלי", email="mine@example.com")
    assert found(q="דנה") == {"דנה שלי"} and found("supplier") == set()
    assert queries.tab_counts() == {"client": 1, "supplier": 0, "professional": 0}
    assert queries.client_choices() == [(str(mine.id), "דנה שלי")]
    assert queries.client_choices(exclude_id=mine.id) == []
    assert queries.all_matching_ids(ContactFilters()) == [mine.id]
