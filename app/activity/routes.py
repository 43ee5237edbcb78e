"""Routes of the activity module (being built)."""

from flask import Blueprint

bp = Blueprint("activity", __name__)
