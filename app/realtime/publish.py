"""Publishing: queued during the transaction, sent after the commit, dropped on rollback."""

import time
import uuid

from flask import current_app, g, has_request_context

from app.core.after_commit import after_commit
from app.core.tenancy import current_tenant_id
from app.realtime.broker import broker_for


def tenant_channel(tenant_id, topic: str | None = None) -> str:
    return f"t:{tenant_id}" + (f":{topic}" if topic else "")


def user_channel(user_id) -> str:
    return f"u:{user_id}"


def _actor_id() -> str | None:
    if not has_request_context():
        return None
    membership = g.get("membership")
    return str(membership.user_id) if membership else None


def _send_later(channel: str, message: dict) -> None:
    redis_url = current_app.config.get("REDIS_URL")
    after_commit(lambda: broker_for(redis_url).publish(channel, message))


def publish(topic: str, event: str, tenant_id: uuid.UUID | None = None, **payload) -> None:
    """Tell every open page of the tenant that declared `topic` (after the commit)."""
    tenant_id = tenant_id or current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("publish() needs a tenant in scope")
    message = {"topic": topic, "type": event, "user_id": _actor_id(), "ts": time.time(), **payload}
    _send_later(tenant_channel(tenant_id, topic), message)


def publish_to_user(user_id, event: str, **payload) -> None:
    message = {"topic": "user", "type": event, "ts": time.time(), **payload}
    _send_later(user_channel(user_id), message)
