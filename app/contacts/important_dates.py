"""A client's important dates (spec entity 2, ImportantDate): birthdays, a move-in date, a
yearly event, each with an optional reminder flag. Services flush and never commit; each change
is written to the client's history.
"""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.activity.labels import register_entity_kind
from app.activity.services import record_activity
from app.contacts import permissions, services, vocab
from app.contacts.models import ClientImportantDate
from app.core.errors import ValidationFailed
from app.custom_fields.types import DATE_MAX, DATE_MIN, parse_date
from app.extensions import db

DESCRIPTION_MAX = 200

# The client's history names the change "תאריכים חשובים: — → 12/05/2026 · יום הולדת".
register_entity_kind(
    "client", vocab.KIND_LABELS["client"], {"important_dates": _l("תאריכים חשובים")}
)


def dates_for(client) -> list[ClientImportantDate]:
    """The client's important dates by date (one query)."""
    return list(
        db.session.scalars(
            select(ClientImportantDate)
            .where(ClientImportantDate.client_id == client.id)
            .order_by(ClientImportantDate.date, ClientImportantDate.created_at)
        )
    )


def get_important_date(client, date_id) -> ClientImportantDate | None:
    date_id = services._uuid(date_id)
    if date_id is None:
        return None
    return db.session.scalar(
        select(ClientImportantDate).where(
            ClientImportantDate.id == date_id, ClientImportantDate.client_id == client.id
        )
    )


def _summary(item: ClientImportantDate) -> str:
    return f"{item.date.strftime('%d/%m/%Y')} · {item.description}"


def _clean(raw_date, description) -> tuple[date | None, str, dict]:
    errors: dict[str, list[str]] = {}
    when = raw_date if isinstance(raw_date, date) else parse_date(str(raw_date or ""))
    if raw_date in (None, ""):
        errors["date"] = [_("שדה חובה.")]
    elif when is None:
        errors["date"] = [_("התאריך אינו תקין (לדוגמה: 31/12/2026).")]
    elif not DATE_MIN <= when <= DATE_MAX:
        errors["date"] = [_("התאריך צריך להיות בין 1900 ל-2100.")]
    description = " ".join((description or "").split())
    if not description:
        errors["description"] = [_("שדה חובה.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("אפשר להזין עד %(max)d תווים.", max=DESCRIPTION_MAX)]
    return when, description, errors


def add_important_date(
    actor, client, *, date, description: str, reminder: bool = False
) -> ClientImportantDate:
    """A new important date for `client`; `date` is a date or what a form sent."""
    permissions.require(permissions.can_edit(actor))
    when, description, errors = _clean(date, description)
    if errors:
        raise ValidationFailed(errors)
    item = ClientImportantDate(
        client_id=client.id, date=when, description=description, reminder=bool(reminder)
    )
    db.session.add(item)
    db.session.flush()
    record_activity(
        actor,
        "updated",
        client,
        changes={"important_dates": {"old": None, "new": _summary(item)}},
        entity_type="client",
        client_id=client.id,
    )
    services.announce(client)
    return item


def delete_important_date(actor, client, item: ClientImportantDate) -> None:
    permissions.require(permissions.can_edit(actor))
    summary = _summary(item)
    db.session.delete(item)
    db.session.flush()
    record_activity(
        actor,
        "updated",
        client,
        changes={"important_dates": {"old": summary, "new": None}},
        entity_type="client",
        client_id=client.id,
    )
    services.announce(client)
