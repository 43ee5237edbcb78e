"""The contacts list: filters from the URL, search, sort and pagination, in a constant number
of queries whatever the page size (count, page, labels, custom field values)."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, or_, select

from app.contacts.fields import phone_digits
from app.contacts.models import CONTACT_MODELS, Client, Professional
from app.custom_fields import queries as custom_queries
from app.custom_fields.models import CustomFieldValue
from app.extensions import db
from app.labels import services as labels
from app.labels.models import EntityLabel

PAGE_SIZES = (25, 50, 100)
INSURANCE_WARNING_DAYS = 30

# Sortable columns per kind (URL name → column attribute name).
SORTABLE = {
    "client": ("name", "status", "lead_source", "lead_score", "city", "created_at", "email"),
    "supplier": ("name", "category_key", "city", "rating", "discount_percent", "created_at"),
    "professional": ("name", "trade_key", "rating", "insurance_expiry", "created_at"),
}
DEFAULT_SORT = ("created_at", "desc")


@dataclass
class ContactFilters:
    kind: str = "client"
    q: str = ""
    status: list[str] = field(default_factory=list)
    lead_source: list[str] = field(default_factory=list)
    lead_stage: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)  # supplier category / professional trade
    label: list[str] = field(default_factory=list)
    archived: bool = False
    insurance: str = ""  # "expiring": expired or within 30 days
    custom: dict = field(default_factory=dict)  # {field_key: value}
    sort: str = DEFAULT_SORT[0]
    direction: str = DEFAULT_SORT[1]
    page: int = 1
    per_page: int = PAGE_SIZES[0]

    @classmethod
    def from_args(cls, kind: str, args) -> "ContactFilters":
        def many(name):
            return [v for v in args.getlist(name) if v]

        sort = args.get("sort") or DEFAULT_SORT[0]
        if sort not in SORTABLE[kind]:
            sort = DEFAULT_SORT[0]
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        try:
            per_page = int(args.get("per_page", PAGE_SIZES[0]))
        except ValueError:
            per_page = PAGE_SIZES[0]
        return cls(
            kind=kind,
            q=(args.get("q") or "").strip()[:100],
            status=many("status"),
            lead_source=many("lead_source"),
            lead_stage=many("lead_stage") if kind == "client" else [],
            category=many("category"),
            label=many("label"),
            archived=args.get("archived") == "1",
            insurance=args.get("insurance", "") if kind == "professional" else "",
            custom={k[3:]: v for k, v in args.items() if k.startswith("cf_") and v},
            sort=sort,
            direction="asc"
            if args.get("dir") == "asc"
            else "desc"
            if args.get("dir")
            else ("desc" if sort == "created_at" else "asc"),
            page=page,
            per_page=per_page if per_page in PAGE_SIZES else PAGE_SIZES[0],
        )

    def args(self, **overrides) -> dict:
        """The filters as URL arguments (for links: sort headers, pages, saved views)."""
        values = {
            "q": self.q or None,
            "status": self.status or None,
            "lead_source": self.lead_source or None,
            "lead_stage": self.lead_stage or None,
            "category": self.category or None,
            "label": self.label or None,
            "archived": "1" if self.archived else None,
            "insurance": self.insurance or None,
            "sort": self.sort if (self.sort, self.direction) != DEFAULT_SORT else None,
            "dir": self.direction if (self.sort, self.direction) != DEFAULT_SORT else None,
            "per_page": self.per_page if self.per_page != PAGE_SIZES[0] else None,
            **{f"cf_{k}": v for k, v in self.custom.items()},
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in (None, "", [])}

    @property
    def active_count(self) -> int:
        return (
            sum(
                bool(x)
                for x in (
                    self.status,
                    self.lead_source,
                    self.lead_stage,
                    self.category,
                    self.label,
                    self.insurance,
                )
            )
            + len(self.custom)
            + int(self.archived)
        )


def _search(model, q: str):
    # autoescape: a typed "%" or "_" is a character to find, not a wildcard.
    text = q.lower()
    conditions = [
        func.lower(model.name).contains(text, autoescape=True),
        model.email.contains(text, autoescape=True),
    ]
    digits = phone_digits(q)
    if digits and len(digits) >= 3:
        conditions.append(model.phone_digits.contains(digits))
        if model is Client:
            conditions.append(Client.mobile_digits.contains(digits))
    for extra in ("city", "contact_person", "company_name"):
        if hasattr(model, extra):
            conditions.append(func.lower(getattr(model, extra)).contains(text, autoescape=True))
    return or_(*conditions)


def _custom_condition(model, kind, definition, value):
    matches = CustomFieldValue.value == value
    if definition.field_type == "multiselect":
        matches = CustomFieldValue.value.like(f'%"{value}"%')
    elif definition.field_type in ("text", "textarea", "email", "phone", "url"):
        matches = func.lower(CustomFieldValue.value).like(f"%{value.lower()}%")
    return exists().where(
        CustomFieldValue.entity_type == kind,
        CustomFieldValue.entity_id == model.id,
        CustomFieldValue.field_id == definition.id,
        matches,
    )


def filtered_statement(filters: ContactFilters, filter_definitions=()):
    """SELECT of the contacts matching `filters` (not yet sorted or paged)."""
    kind, model = filters.kind, CONTACT_MODELS[filters.kind]
    statement = select(model)
    statement = statement.where(
        model.archived_at.is_not(None) if filters.archived else model.archived_at.is_(None)
    )
    if filters.q:
        statement = statement.where(_search(model, filters.q))
    if filters.status and kind == "client":
        statement = statement.where(Client.status.in_(filters.status))
    if filters.lead_source and kind == "client":
        statement = statement.where(Client.lead_source.in_(filters.lead_source))
    if filters.lead_stage and kind == "client":
        statement = statement.where(Client.lead_stage.in_(filters.lead_stage))
    if filters.category and kind != "client":
        column = model.category_key if kind == "supplier" else model.trade_key
        statement = statement.where(column.in_(filters.category))
    label_ids = [i for i in (_uuid(v) for v in filters.label) if i]
    if label_ids:
        statement = statement.where(
            exists().where(
                EntityLabel.entity_type == kind,
                EntityLabel.entity_id == model.id,
                EntityLabel.label_id.in_(label_ids),
            )
        )
    if filters.insurance == "expiring" and kind == "professional":
        limit = date.today() + timedelta(days=INSURANCE_WARNING_DAYS)
        statement = statement.where(
            and_(Professional.insurance_expiry.is_not(None), Professional.insurance_expiry <= limit)
        )
    by_key = {d.field_key: d for d in filter_definitions}
    for key, value in filters.custom.items():
        if key in by_key:
            statement = statement.where(_custom_condition(model, kind, by_key[key], value))
    return statement


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def ordered(statement, filters: ContactFilters):
    model = CONTACT_MODELS[filters.kind]
    column = getattr(model, filters.sort)
    if filters.sort == "name":
        column = func.lower(model.name)
    primary = column.asc() if filters.direction == "asc" else column.desc()
    # NULLs last either way, then a stable tie-breaker so pages never overlap.
    return statement.order_by(getattr(model, filters.sort).is_(None), primary, model.id.asc())


@dataclass
class ContactPage:
    items: list
    total: int
    page: int
    per_page: int
    labels: dict
    custom_values: dict

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def list_contacts(filters: ContactFilters, *, list_definitions=(), filter_definitions=()):
    """One page of contacts with their labels and list custom fields: 4 queries at most."""
    statement = filtered_statement(filters, filter_definitions)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // filters.per_page))
    page = min(filters.page, pages)
    items = list(
        db.session.scalars(
            ordered(statement, filters)
            .limit(filters.per_page)
            .offset((page - 1) * filters.per_page)
        )
    )
    ids = [c.id for c in items]
    label_map = labels.labels_for(filters.kind, ids) if ids else {}
    custom = (
        custom_queries.values_for(filters.kind, ids, defs=list(list_definitions))
        if ids and list_definitions
        else {}
    )
    return ContactPage(items, total, page, filters.per_page, label_map, custom)


def all_matching_ids(filters: ContactFilters, filter_definitions=(), limit: int = 5000) -> list:
    """Ids of every contact matching the filters ("select all N results")."""
    model = CONTACT_MODELS[filters.kind]
    statement = filtered_statement(filters, filter_definitions).with_only_columns(model.id)
    return list(db.session.scalars(statement.limit(limit)))


def tab_counts() -> dict:
    """{kind: number of contacts not archived}, one query per kind."""
    return {
        kind: db.session.scalar(select(func.count(model.id)).where(model.archived_at.is_(None)))
        for kind, model in CONTACT_MODELS.items()
    }


def client_choices(exclude_id=None, limit: int = 500) -> list[tuple[str, str]]:
    """Clients for a "referred by" select, by name."""
    statement = select(Client.id, Client.name).where(Client.archived_at.is_(None))
    if exclude_id is not None:
        statement = statement.where(Client.id != exclude_id)
    rows = db.session.execute(statement.order_by(Client.name).limit(limit))
    return [(str(i), name) for i, name in rows]


def referred_clients(client, limit: int = 200) -> list:
    """Clients this client referred (their "referred by" is this one), by name: one query."""
    statement = select(Client).where(Client.referred_by_client_id == client.id)
    return list(db.session.scalars(statement.order_by(Client.name).limit(limit)))
