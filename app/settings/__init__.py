"""הגדרות: the settings area. Each settings page lives in its own module on this blueprint."""

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")

from app.settings import data, index, security, studio, team  # noqa: E402,F401  (routes register on bp)
