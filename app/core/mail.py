"""Outgoing e-mail: every message is written to the outbox table, then delivered.

With `SMTP_HOST` set, delivery goes over SMTP after the commit; without it the outbox is
the mailbox (development: `/dev/mail`).
"""

import logging
import smtplib
import ssl
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.after_commit import after_commit
from app.core.db import IdMixin, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

log = logging.getLogger(__name__)


class OutboxMessage(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "outbox_messages"

    tenant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    to_address: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    subject: Mapped[str] = mapped_column(String(255), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="stored", nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(500))


def send_mail(to: str, subject: str, template: str, tenant_id=None, **context) -> OutboxMessage:
    """Render `templates/email/<template>.txt` and `.html` and queue the message."""
    body_text = render_template(f"email/{template}.txt", **context)
    body_html = render_template(f"email/{template}.html", **context)
    message = OutboxMessage(
        tenant_id=tenant_id,
        to_address=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        template=template,
        status="queued" if current_app.config.get("SMTP_HOST") else "stored",
    )
    db.session.add(message)
    db.session.flush()
    if current_app.config.get("SMTP_HOST"):
        app = current_app._get_current_object()
        message_id = message.id
        after_commit(lambda: _deliver_in_app(app, message_id))
    return message


def _deliver_in_app(app, message_id) -> None:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            return
        try:
            deliver_smtp(app.config, message)
            message.status, message.sent_at = "sent", utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("SMTP delivery of %s failed: %s", message_id, exc)
            message.status, message.error = "failed", str(exc)[:500]
        db.session.commit()


def deliver_smtp(config, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="studio-os.local")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    if config.get("SMTP_SSL"):
        client = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=15)
    else:
        client = smtplib.SMTP(host, port, timeout=15)
    with client:
        if (
            config.get("SMTP_STARTTLS")
            and not config.get("SMTP_SSL")
            and client.has_extn("starttls")
        ):
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        client.send_message(email)
