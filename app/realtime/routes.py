"""`/ws`: one websocket per open page, authenticated by the session cookie.

The socket subscribes to the user's channel and, inside a studio, to the studio's channel and
the topics the page declared (`?topics=a b`), always prefixed with the socket's own tenant so a
page can never listen to another studio. The page also reports itself (`?page=/path`) for
presence; the client sends a heartbeat every 30 s.
"""

import json
import re
import threading
import uuid

from flask import Blueprint, current_app, g, request
from flask_login import current_user

from app.core.permissions import websocket_signed_in
from app.extensions import db, sock
from app.realtime.broker import broker_for
from app.realtime.presence import presence_for
from app.realtime.publish import tenant_channel, user_channel

bp = Blueprint("realtime", __name__)
TOPIC_RE = re.compile(r"[A-Za-z0-9_:./\-]{1,120}")
RECEIVE_TIMEOUT = 60  # the client's heartbeat comes every 30 s


def _requested_topics() -> list[str]:
    raw = (request.args.get("topics") or "").split()
    return [t for t in raw if TOPIC_RE.fullmatch(t)][:20]


@sock.route("/ws", bp=bp)
@websocket_signed_in
def socket(ws):
    membership = g.get("membership")
    user_id, user_name = str(current_user.id), current_user.full_name
    redis_url = current_app.config.get("REDIS_URL")
    broker, presence = broker_for(redis_url), presence_for(redis_url)
    tenant_id = membership.tenant_id if membership else None
    page = (request.args.get("page") or "")[:200]
    presence_topic = f"presence:{page}"
    socket_id = uuid.uuid4().hex
    channels = [user_channel(user_id)]
    if tenant_id:
        topics = [*_requested_topics(), presence_topic]
        channels += [tenant_channel(tenant_id)] + [tenant_channel(tenant_id, t) for t in topics]
    # The socket may stay open for hours: give the database connection back now.
    db.session.remove()

    send_lock = threading.Lock()

    def deliver(channel, message):
        with send_lock:
            ws.send(json.dumps(message))

    def announce_presence():
        if tenant_id and page:
            viewers = presence.viewers(f"{tenant_id}:{page}")
            broker.publish(
                tenant_channel(tenant_id, presence_topic),
                {"topic": presence_topic, "type": "presence", "users": viewers},
            )

    broker.subscribe(channels, deliver)
    deliver(None, {"topic": "system", "type": "hello", "channels": len(channels)})
    if tenant_id and page:
        presence.touch(f"{tenant_id}:{page}", socket_id, user_id, user_name)
        announce_presence()
    try:
        while True:
            data = ws.receive(timeout=RECEIVE_TIMEOUT)
            if data is None:
                continue
            try:
                message = json.loads(data)
            except ValueError:
                continue
            if message.get("type") == "heartbeat" and tenant_id and page:
                presence.touch(f"{tenant_id}:{page}", socket_id, user_id, user_name)
                announce_presence()  # also drops people whose pages went quiet
            elif message.get("type") == "ping":
                deliver(None, {"topic": "system", "type": "pong", "ts": message.get("ts")})
    finally:
        broker.unsubscribe(channels, deliver)
        if tenant_id and page:
            presence.leave(f"{tenant_id}:{page}", socket_id)
            announce_presence()
