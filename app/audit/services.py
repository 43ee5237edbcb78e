"""`record_audit`: every security-relevant service calls it; the caller's commit saves it."""

import uuid
from dataclasses import dataclass

from app.audit.models import AUDITED_ACTIONS, AuditLog
from app.extensions import db


@dataclass(frozen=True)
class RequestInfo:
    """Where a request came from; routes build it, services pass it on."""

    ip: str | None = None
    user_agent: str | None = None


def record_audit(
    action: str,
    *,
    user=None,
    email: str | None = None,
    tenant_id: uuid.UUID | None = None,
    role: str | None = None,
    entity=None,
    entity_type: str | None = None,
    entity_name: str | None = None,
    changes: list[dict] | None = None,
    origin: RequestInfo | None = None,
    status: str = "success",
    error: str | None = None,
) -> AuditLog:
    if action not in AUDITED_ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    origin = origin or RequestInfo()
    entry = AuditLog(
        tenant_id=tenant_id,
        user_id=getattr(user, "id", None),
        user_email=email or getattr(user, "email", None),
        user_role=role,
        action=action,
        entity_type=entity_type or (type(entity).__name__.lower() if entity is not None else None),
        entity_id=str(entity.id) if entity is not None else None,
        entity_name=entity_name,
        changes=changes,
        ip_address=origin.ip,
        user_agent=(origin.user_agent or "")[:500] or None,
        status=status,
        error_message=error,
    )
    db.session.add(entry)
    return entry
