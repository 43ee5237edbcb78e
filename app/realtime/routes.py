"""The websocket endpoint (being built)."""

from flask import Blueprint

bp = Blueprint("realtime", __name__)
