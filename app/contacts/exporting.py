"""Exporting contacts: a CSV table (what the list shows, filters and all, or a selection) and
vCard 3.0 cards for phones and address books.

    contacts = contacts_to_export(actor, kind, filters=ContactFilters.from_args(...), ids=[...])
    data = contacts_csv(actor, kind, contacts)          # bytes, UTF-8 with BOM
    text = vcards(kind, contacts)                       # one card after another
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.services import record_audit
from app.contacts import services, vocab
from app.contacts.fields import display_value, visible_specs
from app.contacts.queries import ContactFilters, filtered_statement, ordered
from app.contacts.transfer import require_transfer, write_csv
from app.custom_fields import queries as custom_queries
from app.custom_fields import types as custom_types
from app.extensions import db
from app.labels import services as labels

CHUNK = 500
LABELS_HEADER = _l("תגיות")


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def contacts_to_export(actor, kind: str, filters: ContactFilters | None = None, ids=None) -> list:
    """The selection (`ids`, of this kind, archived or not) or every contact matching the
    list's filters, in the list's order."""
    require_transfer(actor)
    if ids:
        found = []
        for chunk in _chunks(list(ids)):
            found += services.get_many(kind, chunk)
        return sorted(found, key=lambda c: (c.name.casefold(), str(c.id)))
    filters = filters or ContactFilters(kind=kind)
    definitions = custom_queries.definitions(kind, flag="filter")
    statement = ordered(filtered_statement(filters, definitions), filters)
    return list(db.session.scalars(statement))


def _labels_of(kind: str, contacts: list) -> dict:
    found = {}
    for chunk in _chunks([c.id for c in contacts]):
        found |= labels.labels_for(kind, chunk)
    return found


def _custom_values(kind: str, contacts: list, definitions: list) -> dict:
    found = {}
    if definitions:
        for chunk in _chunks([c.id for c in contacts]):
            found |= custom_queries.values_for(kind, chunk, defs=definitions)
    return found


def contacts_csv(actor, kind: str, contacts: list) -> bytes:
    """Hebrew headers (the fields' labels), values as the app shows them, the labels, then
    the studio's custom fields. Commercial terms only for members who may see them."""
    specs = visible_specs(kind, actor)
    definitions = custom_queries.definitions(kind)
    label_map = _labels_of(kind, contacts)
    custom = _custom_values(kind, contacts, definitions)
    headers = [str(s.label) for s in specs] + [str(LABELS_HEADER)] + [d.name for d in definitions]
    rows = []
    for contact in contacts:
        row = [display_value(kind, s.key, getattr(contact, s.key, None)) for s in specs]
        row.append(", ".join(label.name for label in label_map.get(contact.id, [])))
        values = custom.get(contact.id, {})
        row += [custom_types.display(d, values.get(d.field_key)) for d in definitions]
        rows.append(row)
    return write_csv(headers, rows)


def record_export(actor, kind: str, file_format: str, count: int, origin=None) -> None:
    """Exports of the address book are security events (DESIGN.md): the audit log keeps them."""
    record_audit(
        "data.export",
        user=actor.user,
        tenant_id=actor.tenant_id,
        role=actor.role,
        entity_type="contacts",
        entity_name=_(
            "ייצוא %(kind)s (%(format)s, %(count)d)",
            kind=vocab.KIND_PLURAL_LABELS[kind],
            format=file_format,
            count=count,
        ),
        origin=origin,
    )


# ---------------------------------------------------------------------------------------------
# vCard 3.0 (RFC 2426)
# ---------------------------------------------------------------------------------------------


def _escape(text) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never cutting a
    character's UTF-8 bytes apart."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _is_organisation(contact) -> bool:
    return contact.entity_type == "supplier" or getattr(contact, "type", None) == "company"


def vcard(contact, label_names=()) -> str:
    kind = contact.entity_type
    name = contact.name
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:urn:uuid:{contact.id}", f"FN:{_escape(name)}"]
    if _is_organisation(contact):
        lines += [f"N:{_escape(name)};;;;", f"ORG:{_escape(name)}"]
    else:
        words = name.split()
        given, family = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (name, "")
        lines.append(f"N:{_escape(family)};{_escape(given)};;;")
        company = getattr(contact, "company_name", None)
        if company:
            lines.append(f"ORG:{_escape(company)}")
    if kind == "professional" and contact.trade_key:
        lines.append(f"TITLE:{_escape(display_value(kind, 'trade_key', contact.trade_key))}")
    if contact.phone:
        lines.append(f"TEL;TYPE=VOICE:{_escape(contact.phone)}")
    if getattr(contact, "mobile", None):
        lines.append(f"TEL;TYPE=CELL:{_escape(contact.mobile)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_escape(contact.email)}")
    address, city = getattr(contact, "address", None), getattr(contact, "city", None)
    if address or city:
        lines.append(f"ADR;TYPE=WORK:;;{_escape(address or '')};{_escape(city or '')};;;")
    if getattr(contact, "website", None):
        lines.append(f"URL:{_escape(contact.website)}")
    if contact.notes:
        lines.append(f"NOTE:{_escape(contact.notes)}")
    categories = [str(vocab.KIND_LABELS[kind]), *label_names]
    lines.append("CATEGORIES:" + ",".join(_escape(c) for c in categories))
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def vcards(kind: str, contacts: list) -> str:
    label_map = _labels_of(kind, contacts)
    return "".join(vcard(c, [label.name for label in label_map.get(c.id, [])]) for c in contacts)
