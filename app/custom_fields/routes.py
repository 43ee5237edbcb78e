"""Routes of the custom_fields module (being built)."""

from flask import Blueprint

bp = Blueprint("custom_fields", __name__)
