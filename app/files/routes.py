"""Routes of the files module (being built)."""

from flask import Blueprint

bp = Blueprint("files", __name__)
