"""פרויקטים: one blueprint; each part lives in its own module.

lists.py      /projects (list, filters, saved views, bulk actions, create panel)
templates.py  /projects/templates (project templates: list, edit, use, save as)
hub.py        /projects/<id> (the hub: quick info bar, cards and panels, rooms, team)
"""

from flask import Blueprint, abort, g
from flask_babel import lazy_gettext as _l

from app.core.navigation import register_nav
from app.projects import services

bp = Blueprint("projects", __name__, url_prefix="/projects")

register_nav(_l("פרויקטים"), "projects.index", "folder", 20, "/projects")


def project_or_404(project_id):
    return services.get_project(g.membership, project_id) or abort(404)


from app.projects.routes import hub, lists, rooms, templates  # noqa: E402,F401
