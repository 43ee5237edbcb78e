"""The communication log (spec entity 14): calls, e-mails, WhatsApp messages, meetings,
notes and text messages with a client, supplier or professional."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.activity.services import record_activity
from app.contacts import permissions, services
from app.contacts.models import COMMUNICATION_TYPES, DIRECTIONS, CommunicationLog
from app.core.db import as_utc, utcnow
from app.core.errors import ValidationFailed
from app.extensions import db

PAGE_SIZE = 20


def entries_for(contact, limit: int = PAGE_SIZE, before: datetime | None = None) -> list:
    """The newest entries first, with their authors (2 queries)."""
    query = (
        select(CommunicationLog)
        .where(
            CommunicationLog.entity_type == contact.entity_type,
            CommunicationLog.entity_id == contact.id,
        )
        .options(selectinload(CommunicationLog.user))
        .order_by(CommunicationLog.date.desc(), CommunicationLog.created_at.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(CommunicationLog.date < before)
    return list(db.session.scalars(query))


def count_for(contact) -> int:
    return db.session.scalar(
        select(func.count(CommunicationLog.id)).where(
            CommunicationLog.entity_type == contact.entity_type,
            CommunicationLog.entity_id == contact.id,
        )
    )


def log_communication(
    actor,
    contact,
    *,
    type: str,
    direction: str,
    content: str,
    subject: str | None = None,
    date: datetime | None = None,
) -> CommunicationLog:
    permissions.require(permissions.can_edit(actor))
    errors = {}
    if type not in COMMUNICATION_TYPES:
        errors["type"] = [_("יש לבחור סוג.")]
    if direction not in DIRECTIONS:
        errors["direction"] = [_("יש לבחור כיוון.")]
    content = (content or "").strip()
    subject = (subject or "").strip() or None
    if not content:
        errors["content"] = [_("כתבו מה נאמר או נעשה.")]
    elif len(content) > 5000:
        errors["content"] = [_("אפשר להזין עד %(max)d תווים.", max=5000)]
    if subject and len(subject) > 200:
        errors["subject"] = [_("אפשר להזין עד %(max)d תווים.", max=200)]
    date = as_utc(date)  # a naive datetime is UTC, as everywhere else
    # A day count, not replace(year=+1), which fails on 29 February.
    if date is not None and date > utcnow() + timedelta(days=366):
        errors["date"] = [_("התאריך רחוק מדי בעתיד.")]
    if errors:
        raise ValidationFailed(errors)
    entry = CommunicationLog(
        entity_type=contact.entity_type,
        entity_id=contact.id,
        type=type,
        direction=direction,
        subject=subject,
        content=content,
        date=date or utcnow(),
        user_id=actor.user_id,
    )
    db.session.add(entry)
    db.session.flush()
    record_activity(
        actor,
        "commented",
        contact,
        entity_type=contact.entity_type,
        description=subject or content[:120],
        client_id=contact.id if contact.entity_type == "client" else None,
    )
    services.announce(contact)
    return entry


def get_entry(contact, entry_id):
    entry_id = services._uuid(entry_id)
    if entry_id is None:
        return None
    return db.session.scalar(
        select(CommunicationLog).where(
            CommunicationLog.id == entry_id,
            CommunicationLog.entity_type == contact.entity_type,
            CommunicationLog.entity_id == contact.id,
        )
    )


def delete_entry(actor, contact, entry: CommunicationLog) -> None:
    """Authors delete their own entries; deleting others' needs the delete flag."""
    if entry.user_id != actor.user_id and not permissions.can_delete(actor):
        permissions.require(False, _("אפשר למחוק רק רשומות שכתבת."))
    db.session.delete(entry)
    db.session.flush()
    services.announce(contact)


def delete_entries_of(entity_type: str, entity_id) -> None:
    db.session.execute(
        delete(CommunicationLog).where(
            CommunicationLog.entity_type == entity_type, CommunicationLog.entity_id == entity_id
        )
    )
