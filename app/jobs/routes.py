"""Routes of the jobs module (being built)."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)
