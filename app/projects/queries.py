"""The projects list: filters from the URL, search, sort and pagination, only the projects the
member may see, in a constant number of queries whatever the page size (count, page with client
names, team, labels, custom field values; the configuration lists are cached per request)."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, exists, func, or_, select

from app.auth.models import User
from app.contacts.models import Client
from app.core.fieldspec import config_entries
from app.custom_fields import queries as custom_queries
from app.custom_fields.models import CustomFieldValue
from app.extensions import db
from app.labels import services as labels
from app.labels.models import EntityLabel
from app.projects import permissions, services
from app.projects.models import PRIORITIES, Project, ProjectMember, ProjectSequence
from app.tenants.models import Membership

PAGE_SIZES = (25, 50, 100)
VIEWS = ("table", "cards")
SORTABLE = (
    "name",
    "code",
    "client",
    "status",
    "phase",
    "priority",
    "start_date",
    "expected_end_date",
    "budget",
    "created_at",
)
FINANCIAL_SORTS = {"budget"}
DEFAULT_SORT = ("created_at", "desc")
DATE_ARGS = ("start_from", "start_to", "end_from", "end_to")


def _many(args, name) -> list[str]:
    return [v for v in args.getlist(name) if v][:50]


def _date(raw) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _int(raw, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@dataclass
class ProjectFilters:
    q: str = ""
    status: list[str] = field(default_factory=list)
    phase: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    client: list[str] = field(default_factory=list)
    assignee: list[str] = field(default_factory=list)
    priority: list[str] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    vip: bool = False
    archived: bool = False
    start_from: date | None = None
    start_to: date | None = None
    end_from: date | None = None
    end_to: date | None = None
    custom: dict = field(default_factory=dict)  # {field_key: value}
    sort: str = DEFAULT_SORT[0]
    direction: str = DEFAULT_SORT[1]
    page: int = 1
    per_page: int = PAGE_SIZES[0]
    view: str = VIEWS[0]

    @classmethod
    def from_args(cls, args, *, financials: bool = True) -> "ProjectFilters":
        sort = args.get("sort") or DEFAULT_SORT[0]
        if sort not in SORTABLE or (sort in FINANCIAL_SORTS and not financials):
            sort = DEFAULT_SORT[0]
        direction = args.get("dir")
        if direction not in ("asc", "desc"):
            direction = "desc" if sort == "created_at" else "asc"
        per_page = _int(args.get("per_page"), PAGE_SIZES[0])
        return cls(
            q=(args.get("q") or "").strip()[:100],
            status=_many(args, "status"),
            phase=_many(args, "phase"),
            type=_many(args, "type"),
            client=_many(args, "client"),
            assignee=_many(args, "assignee"),
            priority=[p for p in _many(args, "priority") if p in PRIORITIES],
            label=_many(args, "label"),
            vip=args.get("vip") == "1",
            archived=args.get("archived") == "1",
            **{name: _date(args.get(name)) for name in DATE_ARGS},
            custom={k[3:]: v for k, v in args.items() if k.startswith("cf_") and v},
            sort=sort,
            direction=direction,
            page=max(1, _int(args.get("page"), 1)),
            per_page=per_page if per_page in PAGE_SIZES else PAGE_SIZES[0],
            view=args.get("view") if args.get("view") in VIEWS else VIEWS[0],
        )

    def args(self, **overrides) -> dict:
        """The filters as URL arguments (sort headers, pages, the view toggle, saved views)."""
        default_sort = (self.sort, self.direction) == DEFAULT_SORT
        values = {
            "q": self.q or None,
            "status": self.status or None,
            "phase": self.phase or None,
            "type": self.type or None,
            "client": self.client or None,
            "assignee": self.assignee or None,
            "priority": self.priority or None,
            "label": self.label or None,
            "vip": "1" if self.vip else None,
            "archived": "1" if self.archived else None,
            **{name: self._iso(name) for name in DATE_ARGS},
            "sort": None if default_sort else self.sort,
            "dir": None if default_sort else self.direction,
            "per_page": self.per_page if self.per_page != PAGE_SIZES[0] else None,
            "view": self.view if self.view != VIEWS[0] else None,
            **{f"cf_{k}": v for k, v in self.custom.items()},
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in (None, "", [])}

    def _iso(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.isoformat() if value else None

    @property
    def active_count(self) -> int:
        lists = (self.status, self.phase, self.type, self.client, self.assignee, self.priority)
        dates = sum(bool(getattr(self, name)) for name in DATE_ARGS)
        return (
            sum(bool(x) for x in lists)
            + bool(self.label)
            + int(self.vip)
            + int(self.archived)
            + dates
            + len(self.custom)
        )


def _search(q: str):
    # autoescape: a typed "%" or "_" is a character to find, not a wildcard.
    text = q.lower()
    clients = select(Client.id).where(func.lower(Client.name).contains(text, autoescape=True))
    return or_(
        func.lower(Project.name).contains(text, autoescape=True),
        func.lower(Project.code).contains(text, autoescape=True),
        func.lower(Project.city).contains(text, autoescape=True),
        Project.client_id.in_(clients),
    )


def _custom_condition(definition, value):
    matches = CustomFieldValue.value == value
    if definition.field_type == "multiselect":
        matches = CustomFieldValue.value.like(f'%"{value}"%')
    elif definition.field_type in ("text", "textarea", "email", "phone", "url"):
        matches = func.lower(CustomFieldValue.value).like(f"%{value.lower()}%")
    return exists().where(
        CustomFieldValue.entity_type == "project",
        CustomFieldValue.entity_id == Project.id,
        CustomFieldValue.field_id == definition.id,
        matches,
    )


def filtered_statement(filters: ProjectFilters, membership, filter_definitions=()):
    """SELECT of the projects matching `filters` that `membership` may see (not yet sorted)."""
    statement = select(Project).where(permissions.visible_condition(membership))
    statement = statement.where(
        Project.archived_at.is_not(None) if filters.archived else Project.archived_at.is_(None)
    )
    if filters.q:
        statement = statement.where(_search(filters.q))
    for values, column in (
        (filters.status, Project.status_key),
        (filters.phase, Project.phase_key),
        (filters.type, Project.type_key),
        (filters.priority, Project.priority),
    ):
        if values:
            statement = statement.where(column.in_(values))
    client_ids = [i for i in map(_uuid, filters.client) if i]
    if filters.client:
        statement = statement.where(Project.client_id.in_(client_ids))
    user_ids = [i for i in map(_uuid, filters.assignee) if i]
    if filters.assignee:
        statement = statement.where(
            exists().where(
                ProjectMember.project_id == Project.id, ProjectMember.user_id.in_(user_ids)
            )
        )
    label_ids = [i for i in map(_uuid, filters.label) if i]
    if filters.label:
        statement = statement.where(
            exists().where(
                EntityLabel.entity_type == "project",
                EntityLabel.entity_id == Project.id,
                EntityLabel.label_id.in_(label_ids),
            )
        )
    if filters.vip:
        statement = statement.where(Project.is_vip.is_(True))
    for name, column, compare in (
        ("start_from", Project.start_date, "ge"),
        ("start_to", Project.start_date, "le"),
        ("end_from", Project.expected_end_date, "ge"),
        ("end_to", Project.expected_end_date, "le"),
    ):
        bound = getattr(filters, name)
        if bound:
            statement = statement.where(column >= bound if compare == "ge" else column <= bound)
    by_key = {d.field_key: d for d in filter_definitions}
    for key, value in filters.custom.items():
        if key in by_key:
            statement = statement.where(_custom_condition(by_key[key], value))
    return statement


def _config_order(kind: str, column):
    """Sort by the studio's order of a configuration list (phases in their working order)."""
    order = {entry.key: entry.order for entry in config_entries(kind)}
    return case(order, value=column, else_=10_000) if order else column


def _sort_column(sort: str):
    if sort == "client":
        return func.lower(Client.name), Client.name
    if sort == "status":
        return _config_order("project_status", Project.status_key), Project.status_key
    if sort == "phase":
        return _config_order("project_phase", Project.phase_key), Project.phase_key
    if sort == "priority":
        ranks = {p: i for i, p in enumerate(PRIORITIES)}
        return case(ranks, value=Project.priority, else_=99), Project.priority
    if sort == "name":
        return func.lower(Project.name), Project.name
    column = getattr(Project, sort)
    return column, column


def ordered(statement, filters: ProjectFilters):
    expression, raw = _sort_column(filters.sort)
    primary = expression.asc() if filters.direction == "asc" else expression.desc()
    # NULLs last either way, then a stable tie-breaker so pages never overlap.
    return statement.order_by(raw.is_(None), primary, Project.id.asc())


@dataclass
class ProjectPage:
    items: list
    total: int
    page: int
    per_page: int
    clients: dict  # {project id: (client id, client name)}
    team: dict  # {project id: [User]}
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


def list_projects(
    filters: ProjectFilters, membership, *, list_definitions=(), filter_definitions=()
):
    """One page of projects with client names, team, labels and list custom fields."""
    statement = filtered_statement(filters, membership, filter_definitions)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // filters.per_page))
    page = min(filters.page, pages)
    paged = (
        ordered(statement.outerjoin(Client, Client.id == Project.client_id), filters)
        .add_columns(Client.id, Client.name)
        .limit(filters.per_page)
        .offset((page - 1) * filters.per_page)
    )
    rows = db.session.execute(paged).all()
    items = [row[0] for row in rows]
    clients = {row[0].id: (row[1], row[2]) for row in rows if row[1] is not None}
    ids = [p.id for p in items]
    team = services.team_of(ids)
    label_map = labels.labels_for("project", ids) if ids else {}
    custom = (
        custom_queries.values_for("project", ids, defs=list(list_definitions))
        if ids and list_definitions
        else {}
    )
    return ProjectPage(items, total, page, filters.per_page, clients, team, label_map, custom)


def all_matching_ids(filters: ProjectFilters, membership, filter_definitions=(), limit=5000):
    """Ids of every visible project matching the filters ("select all N results")."""
    statement = filtered_statement(filters, membership, filter_definitions)
    return list(db.session.scalars(statement.with_only_columns(Project.id).limit(limit)))


def visible_projects(membership, ids) -> list[Project]:
    """The projects among `ids` that `membership` may see (bulk actions)."""
    wanted = [i for i in map(_uuid, ids) if i]
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Project)
            .where(Project.id.in_(wanted), permissions.visible_condition(membership))
            .order_by(Project.code)
        )
    )


# ---------------------------------------------------------------------------------------------
# Choices for the filters and the create panel
# ---------------------------------------------------------------------------------------------


def clients_with_projects(membership) -> list[tuple[str, str]]:
    """Clients of the projects this member sees, by name (the client filter)."""
    projects = select(Project.client_id).where(permissions.visible_condition(membership))
    rows = db.session.execute(
        select(Client.id, Client.name).where(Client.id.in_(projects)).order_by(Client.name)
    )
    return [(str(i), name) for i, name in rows]


def team_choices() -> list[tuple[str, str]]:
    """Active people of the studio as (user id, full name), one query."""
    rows = db.session.execute(
        select(User.id, User.first_name, User.last_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.is_active.is_(True))
        .order_by(User.first_name, User.last_name)
    )
    return [(str(i), f"{first} {last or ''}".strip()) for i, first, last in rows]


def peek_next_code() -> str:
    """The code the next project will get (a hint: creating takes it under a row lock)."""
    sequence = db.session.scalar(select(ProjectSequence))
    prefix, number = (sequence.prefix, sequence.next_number) if sequence else ("PRJ", 1)
    taken = set(db.session.scalars(select(Project.code).where(Project.code.like(f"{prefix}-%"))))
    while f"{prefix}-{number:03d}" in taken:
        number += 1
    return f"{prefix}-{number:03d}"
