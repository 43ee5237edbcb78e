"""What the cards of a contact's page show (app/contacts/routes/page.py renders them).

One function per card returns its template context; the page merges them, and `?part=<card>`
(realtime refresh, "load more") calls just one. All of them run a fixed number of queries.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, g, request, url_for
from flask_babel import format_currency, ngettext
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from app.activity import queries as activity_queries
from app.activity.routes import sees_everyone
from app.contacts import communication, important_dates, permissions, queries, services, vocab
from app.contacts.fields import SPECS, display_value, phone_digits, visible_specs
from app.contacts.forms import SECTION_TITLES, SECTIONS, CommunicationForm, ImportantDateForm
from app.contacts.queries import INSURANCE_WARNING_DAYS
from app.core.db import as_utc
from app.custom_fields import queries as custom_queries
from app.labels import services as labels

# Cards shown apart from the details card: a client's evaluation, a supplier's terms.
OWN_CARD_SECTIONS = {"client": {"evaluation"}, "supplier": {"terms"}, "professional": set()}


def tz() -> ZoneInfo:
    return ZoneInfo(g.membership.tenant.timezone or "Asia/Jerusalem")


def whatsapp_url(number: str | None) -> str | None:
    """wa.me wants the international number in digits: Israeli 050-1234567 → 972501234567."""
    digits = phone_digits(number)
    # Israeli landlines (02-…, 03-…, 077-…) have no WhatsApp; mobiles start with 05.
    if not digits or (digits.startswith("0") and not digits.startswith("05")):
        return None
    return "https://wa.me/" + ("972" + digits[1:] if digits.startswith("0") else digits)


def insurance_status(contact) -> dict | None:
    """A professional's insurance: expired, or expiring within 30 days (else None)."""
    expiry = getattr(contact, "insurance_expiry", None)
    if expiry is None:
        return None
    days = (expiry - datetime.now(tz()).date()).days
    if days < 0:
        return {"variant": "error", "text": _("פג תוקף")}
    if days == 0:
        return {"variant": "warning", "text": _("פג היום")}
    if days <= INSURANCE_WARNING_DAYS:
        return {
            "variant": "warning",
            "text": ngettext("פג בעוד יום אחד", "פג בעוד %(num)d ימים", days),
        }
    return None


def _display(kind: str, spec, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if spec.suffix == "₪":
        return format_currency(value, "ILS")
    if spec.suffix == "%":
        return f"{value.normalize():f}%"
    if spec.key == "credit_days":
        return ngettext("יום אחד", "%(num)d ימים", value)
    return display_value(kind, spec.key, value)


def sections(contact, only: set | None = None, skip: set = frozenset()) -> list[dict]:
    """The fields this member may see, by section: [{"key", "title", "items"}]."""
    kind = contact.entity_type
    visible = {spec.key: spec for spec in visible_specs(kind, g.membership)}
    result = []
    for section, keys in SECTIONS[kind]:
        if section in skip or (only is not None and section not in only):
            continue
        items = [
            {
                "spec": visible[key],
                "value": getattr(contact, key),
                "text": _display(kind, visible[key], getattr(contact, key)),
            }
            for key in keys
            if key in visible
        ]
        if items:
            result.append({"key": section, "title": SECTION_TITLES[section], "items": items})
    return result


def phones(contact) -> list[dict]:
    """Call and WhatsApp links for each of the contact's numbers."""
    found = []
    for key in ("phone", "mobile"):
        number = getattr(contact, key, None)
        if number:
            found.append(
                {
                    "label": SPECS[contact.entity_type][key].label,
                    "number": number,
                    "tel": "tel:" + re.sub(r"[^0-9+]", "", number),
                    "whatsapp": whatsapp_url(number),
                }
            )
    return found


def vcard_url(contact) -> str | None:
    try:  # the export routes live in transfer.py
        return url_for("contacts.contact_vcard", contact_id=contact.id)
    except BuildError:
        return None


def base(contact) -> dict:
    return {
        "contact": contact,
        "kind": contact.entity_type,
        "kind_label": vocab.KIND_LABELS[contact.entity_type],
        "tab": vocab.TAB_OF[contact.entity_type],
        "can_edit": permissions.can_edit(g.membership),
        "insurance": insurance_status(contact),
        "status_labels": vocab.CLIENT_STATUS_LABELS,
        "status_variants": vocab.CLIENT_STATUS_VARIANTS,
    }


def subtitle(contact) -> list[str]:
    """What tells contacts of the same name apart: type or category or trade, company, city."""
    kind = contact.entity_type
    keys = {
        "client": ("type", "contact_person", "city"),
        "supplier": ("category_key", "city"),
        "professional": ("trade_key", "company_name"),
    }[kind]
    return [text for text in (display_value(kind, k, getattr(contact, k)) for k in keys) if text]


def header_context(contact) -> dict:
    actor, kind = g.membership, contact.entity_type
    can_edit = permissions.can_edit(actor)
    return base(contact) | {
        "subtitle": subtitle(contact),
        "phones": phones(contact),
        "vcard_url": vcard_url(contact),
        "attached_labels": labels.labels_for(kind, [contact.id])[contact.id],
        "available_labels": labels.available_labels(kind) if can_edit else [],
        "can_archive": permissions.can_archive(actor),
        "can_delete": permissions.can_delete(actor),
        "stage_labels": vocab.LEAD_STAGE_LABELS,
    }


def details_context(contact) -> dict:
    kind = contact.entity_type
    definitions = custom_queries.definitions(kind)
    values = (
        custom_queries.values_for(kind, [contact.id], tz=tz(), defs=definitions)[contact.id]
        if definitions
        else {}
    )
    return base(contact) | {
        "sections": sections(contact, skip=OWN_CARD_SECTIONS[kind]),
        "custom_definitions": definitions,
        "custom_values": values,
    }


def edit_context(contact, form, custom) -> dict:
    return base(contact) | {"form": form, "custom": custom}


def terms_context(contact) -> dict:
    if contact.entity_type != "supplier":
        abort(404)
    if not g.membership.has("can_view_financials"):
        abort(403)
    return base(contact) | {"terms": sections(contact, only={"terms"})}


def client_context(contact) -> dict:
    if contact.entity_type != "client":
        abort(404)
    referrer_id = contact.referred_by_client_id
    return base(contact) | {
        "referrer": services.get_contact(referrer_id, "client") if referrer_id else None,
        "referred": queries.referred_clients(contact),
    }


def dates_context(contact, form=None) -> dict:
    if contact.entity_type != "client":
        abort(404)
    return base(contact) | {
        "dates": important_dates.dates_for(contact),
        "date_form": form or ImportantDateForm(formdata=None),
    }


def entries_context(contact, before=None) -> dict:
    """One page of the communication log, newest first, and where the next page starts."""
    entries = communication.entries_for(contact, communication.PAGE_SIZE + 1, before)
    more = len(entries) > communication.PAGE_SIZE
    entries = entries[: communication.PAGE_SIZE]
    return base(contact) | {
        "log_entries": entries,
        "next_before": as_utc(entries[-1].date).isoformat() if more else None,
        "me": g.membership.user_id,
        "can_delete_any": permissions.can_delete(g.membership),
        "type_labels": vocab.COMMUNICATION_TYPE_LABELS,
        "direction_labels": vocab.DIRECTION_LABELS,
    }


def before_arg() -> datetime | None:
    """`?before=` of "load more": the date of the last entry shown."""
    if not request.args.get("before"):
        return None
    try:
        before = datetime.fromisoformat(request.args["before"])
    except ValueError:
        abort(400)
    return before if before.tzinfo else before.replace(tzinfo=UTC)


def more_context(contact) -> dict:
    return entries_context(contact, before_arg() or abort(400))


def timeline_context(contact, form=None, before=None) -> dict:
    return entries_context(contact, before) | {"log_form": form or CommunicationForm(formdata=None)}


def history_context(contact) -> dict:
    entries = activity_queries.for_entity(contact.entity_type, str(contact.id))
    if not sees_everyone(g.membership):
        entries = [e for e in entries if e.user_id == g.membership.user_id]
    return {"history": entries}
