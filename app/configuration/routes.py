"""Routes of the configuration module (being built)."""

from flask import Blueprint

bp = Blueprint("configuration", __name__)
