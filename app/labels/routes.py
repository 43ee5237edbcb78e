"""Routes of the labels module (being built)."""

from flask import Blueprint

bp = Blueprint("labels", __name__)
