"""Undo for a few seconds: a bulk action hands the browser a signed token describing how to
reverse it; posting the token back (from the toast's "בטל" button) reverses it.

The token is signed with the app's secret and bound to the studio and the user, so it cannot
be forged or replayed by someone else; it expires after `UNDO_SECONDS`.
"""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

UNDO_SECONDS = 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="undo")


def make_undo_token(membership, payload: dict) -> str:
    bound = {"t": str(membership.tenant_id), "u": str(membership.user_id), "p": payload}
    return _serializer().dumps(bound)


def read_undo_token(membership, token: str) -> dict | None:
    """The payload, or None when the token is forged, expired, or someone else's."""
    try:
        bound = _serializer().loads(token or "", max_age=UNDO_SECONDS)
    except (BadSignature, SignatureExpired):
        return None
    if bound.get("t") != str(membership.tenant_id) or bound.get("u") != str(membership.user_id):
        return None
    return bound.get("p")
