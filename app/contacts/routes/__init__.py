"""אנשי קשר: one blueprint; each part of the page lives in its own module.

lists.py     /contacts (tabs, filters, create panel, inline edit, bulk actions, saved views)
page.py      /contacts/<id> (details, communication log, important dates, history)
leads.py     /contacts/leads (the pipeline board)
transfer.py  CSV import, CSV and vCard export
"""

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l

from app.contacts import services
from app.contacts.vocab import TABS
from app.core.navigation import register_nav

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

register_nav(_l("אנשי קשר"), "contacts.index", "contacts", 30, "/contacts")


def contact_or_404(contact_id, kind: str | None = None):
    return services.get_contact(contact_id, kind) or abort(404)


def kind_from_tab(tab: str | None) -> str:
    return TABS.get(tab or "clients") or abort(404)


from app.contacts.routes import bulk_actions, leads, lists, page, transfer  # noqa: E402,F401
