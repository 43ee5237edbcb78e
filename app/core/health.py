"""`GET /healthz`: is the app up, can it reach its database and Redis."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.core.permissions import public
from app.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@public
def healthz():
    from app import __version__

    checks = {"database": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # report, don't crash: this is what monitoring reads
        checks["database"] = f"error: {type(exc).__name__}"
    if current_app.config.get("REDIS_URL"):
        try:
            import redis

            redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks, "version": __version__}
    return jsonify(body), 200 if healthy else 503
