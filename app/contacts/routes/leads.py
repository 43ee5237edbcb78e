"""/contacts/leads: the lead pipeline as a board, one column per stage (spec section ד).

Cards are clients with a lead stage, not archived: the open stages show leads (status "lead"),
"won" the clients converted in the last 30 days, "lost" the leads lost in the last 90 days.
Moving a card (drag, or the card's "move to…" menu) posts to `move_stage`; the answer is the
board again. The board is read in a constant number of queries whatever the number of cards.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from app.activity.models import ActivityLog
from app.contacts import leads as pipeline
from app.contacts.fields import config_choices, display_value
from app.contacts.models import LEAD_STAGES, Client
from app.contacts.routes import bp, contact_or_404
from app.contacts.vocab import LEAD_STAGE_LABELS
from app.core.db import as_utc, utcnow
from app.core.errors import ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.extensions import db
from app.labels import services as labels

CARDS_PER_COLUMN = 100
WON_DAYS = 30
LOST_DAYS = 90
COLUMN_HINTS = {
    "won": _l("לקוחות שהומרו ב-30 הימים האחרונים"),
    "lost": _l("לידים שאבדו ב-90 הימים האחרונים"),
}


@dataclass
class BoardFilters:
    lead_source: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> "BoardFilters":
        return cls(
            lead_source=(args.get("lead_source") or "").strip()[:64],
            q=(args.get("q") or "").strip()[:100],
        )

    def args(self) -> dict:
        """The filters as URL arguments (board links, the move forms, the live refresh)."""
        return {k: v for k, v in (("lead_source", self.lead_source), ("q", self.q)) if v}

    @property
    def active(self) -> bool:
        return bool(self.lead_source or self.q)


@dataclass
class Column:
    stage: str
    label: str
    hint: str | None
    total: int = 0
    cards: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.cards))

    @property
    def is_open(self) -> bool:
        return self.stage in pipeline.OPEN_STAGES


@dataclass
class Board:
    columns: list
    labels: dict  # {client_id: [Label]}
    stage_since: dict  # {client_id: datetime the card entered its stage}
    filters: BoardFilters

    @property
    def total(self) -> int:
        return sum(c.total for c in self.columns)


# ---------------------------------------------------------------------------------------------
# Reading the board
# ---------------------------------------------------------------------------------------------


def _on_board(now: datetime):
    """Which clients are cards: open leads, recent wins and recent losses, not archived."""
    return and_(
        Client.archived_at.is_(None),
        or_(
            and_(Client.lead_stage.in_(pipeline.OPEN_STAGES), Client.status == "lead"),
            and_(Client.lead_stage == "won", Client.converted_at >= now - timedelta(WON_DAYS)),
            and_(Client.lead_stage == "lost", Client.updated_at >= now - timedelta(LOST_DAYS)),
        ),
    )


def _filtered(condition, filters: BoardFilters):
    conditions = [condition]
    if filters.lead_source:
        conditions.append(Client.lead_source == filters.lead_source)
    if filters.q:
        conditions.append(func.lower(Client.name).contains(filters.q.lower(), autoescape=True))
    return and_(*conditions)


def _stage_since(ids) -> dict:
    """When each card entered its current stage: its last stage move, else its creation."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(ActivityLog.entity_id, func.max(ActivityLog.timestamp))
        .where(
            ActivityLog.entity_type == "client",
            ActivityLog.action == "status_changed",
            ActivityLog.entity_id.in_([str(i) for i in ids]),
        )
        .group_by(ActivityLog.entity_id)
    )
    return {entity_id: as_utc(moved) for entity_id, moved in rows}


def _cards(condition) -> list:
    """The first cards of every column in one query (a rank within each stage)."""
    order = (Client.lead_stage_order, Client.created_at, Client.id)
    ranked = (
        select(
            Client.id,
            func.row_number().over(partition_by=Client.lead_stage, order_by=order).label("rank"),
        )
        .where(condition)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Client)
            .join(ranked, ranked.c.id == Client.id)
            .where(ranked.c.rank <= CARDS_PER_COLUMN)
            .order_by(*order)
        )
    )


def load_board(filters: BoardFilters) -> Board:
    """Four queries whatever the number of cards: counts, cards, labels, stage dates."""
    condition = _filtered(_on_board(utcnow()), filters)
    totals = dict(
        db.session.execute(
            select(Client.lead_stage, func.count(Client.id))
            .where(condition)
            .group_by(Client.lead_stage)
        ).all()
    )
    columns = {
        stage: Column(stage, str(LEAD_STAGE_LABELS[stage]), COLUMN_HINTS.get(stage))
        for stage in LEAD_STAGES
    }
    for stage, column in columns.items():
        column.total = totals.get(stage, 0)
    cards = _cards(condition) if totals else []
    for card in cards:
        columns[card.lead_stage].cards.append(card)
    ids = [card.id for card in cards]
    moved = _stage_since(ids)
    since = {card.id: moved.get(str(card.id)) or as_utc(card.created_at) for card in cards}
    label_map = labels.labels_for("client", ids) if ids else {}
    return Board(list(columns.values()), label_map, since, filters)


def days_since(moment: datetime | None) -> int:
    return max(0, (utcnow() - moment).days) if moment else 0


def _context(filters: BoardFilters, **extra) -> dict:
    return {
        "board": load_board(filters),
        "filters": filters,
        "lead_sources": config_choices("lead_source", filters.lead_source or None),
        "stage_labels": {stage: str(label) for stage, label in LEAD_STAGE_LABELS.items()},
        "days_since": days_since,
        "display_value": display_value,
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


@bp.get("/leads")
@member_of_tenant()
def leads():
    filters = BoardFilters.from_args(request.args)
    return render("contacts/leads.html", "contacts/_board.html", **_context(filters))


def _ordered_ids() -> list[str]:
    return [v for v in request.form.getlist("order") if v][: CARDS_PER_COLUMN * 2]


def _moved_message(client: Client, old_stage: str | None, stage: str) -> str | None:
    if old_stage == stage:
        return None
    if stage == "won":
        return _("%(name)s הפך ללקוח פעיל", name=client.name)
    if stage == "lost":
        return _("%(name)s סומן כליד שאבד", name=client.name)
    return _("%(name)s הועבר לשלב %(stage)s", name=client.name, stage=str(LEAD_STAGE_LABELS[stage]))


@bp.post("/<uuid:contact_id>/stage")
@member_of_tenant()
def move_stage(contact_id):
    """Move a card to `stage` (and, after a drag, order its new column by `order`)."""
    client = contact_or_404(contact_id, "client")
    filters = BoardFilters.from_args(request.args)
    stage = request.form.get("stage", "")
    old_stage = client.lead_stage
    try:
        pipeline.move_to_stage(
            g.membership, client, stage, lost_reason=request.form.get("lost_reason")
        )
        ordered = _ordered_ids()
        if ordered:
            pipeline.reorder_stage(g.membership, stage, ordered)
    except ValidationFailed as error:
        db.session.rollback()
        message = " ".join(error.messages)
        if is_htmx():
            # Swapped (422): the board as it is on the server puts the card back; the toast says why.
            response = render("contacts/_board.html", status=422, **_context(filters))
            return with_toast(response, message, "error")
        # Without JavaScript: the page again, with the reason form when "lost" needed one.
        asking = client if "lost_reason" in error.errors else None
        return render(
            "contacts/leads.html",
            status=422,
            **_context(filters, move_error=message, lost_reason_for=asking),
        )
    db.session.commit()
    message = _moved_message(client, old_stage, stage)
    if is_htmx():
        response = render("contacts/_board.html", **_context(filters))
        return with_toast(response, message) if message else response
    if message:
        flash(message, "success")
    return redirect(url_for("contacts.leads", **filters.args(), _anchor=f"lead-{client.id}"))
