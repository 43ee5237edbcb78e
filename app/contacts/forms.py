"""Forms of the contacts pages, built from the field specs (app/contacts/fields.py).

The same form class serves the create panel on the list and the edit card on a contact's page:

    form = contact_form_class("client", g.membership)(data=initial_data(contact))   # GET
    form = contact_form_class("client", g.membership)(exclude_client_id=contact.id)  # POST
    ok, changes = run_service(form, lambda: services.update_contact(actor, contact,
                                                                     form.service_data()))

The fields carry no validators: `fields.clean_values` (through the services) is the one place
that accepts or refuses a value, and `run_service` puts its messages next to the fields.
In a template: `{% include "contacts/_form_fields.html" %}` renders the fields in sections.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice

from app.contacts import vocab
from app.contacts.fields import FIELDS, FieldSpec, config_choices, visible_specs
from app.contacts.models import COMMUNICATION_TYPES

REFERRER_KEY = "referred_by_client_id"
# Booleans that may also be "not known yet" (nullable columns): a yes / no / — select.
TRI_STATE_BOOLS = {"would_recommend"}

SECTION_TITLES = {
    "details": _l("פרטים"),
    "contact": _l("קשר"),
    "address": _l("כתובת וחברה"),
    "status": _l("סטטוס וליד"),
    "preferences": _l("העדפות"),
    "referral": _l("הפניה ותאריכים"),
    "evaluation": _l("הערכה"),
    "terms": _l("תנאים מסחריים"),
    "licensing": _l("רישוי וביטוח"),
    "notes": _l("הערות"),
}

# Each kind's fields in the order people fill them in, grouped as the spec groups them.
SECTIONS = {
    "client": (
        ("details", ("name", "type")),
        (
            "contact",
            (
                "email",
                "phone",
                "mobile",
                "preferred_communication",
                "best_time_to_contact",
                "contact_person",
            ),
        ),
        ("address", ("address", "city", "company_number")),
        ("status", ("status", "lead_source", "lead_score", "lead_stage", "lost_reason")),
        ("preferences", ("style_preferences", "budget_range")),
        ("referral", ("referred_by", REFERRER_KEY, "anniversary_date")),
        ("evaluation", ("satisfaction_rating", "would_recommend", "testimonial")),
        ("notes", ("notes",)),
    ),
    "supplier": (
        ("details", ("name", "category_key")),
        ("contact", ("email", "phone", "website", "contact_person")),
        ("address", ("address", "city", "company_number")),
        (
            "terms",
            (
                "payment_terms",
                "discount_percent",
                "credit_days",
                "minimum_order",
                "has_trade_account",
                "trade_account_number",
                "trade_discount_percent",
            ),
        ),
        ("evaluation", ("rating", "reliability_score")),
        ("notes", ("notes",)),
    ),
    "professional": (
        ("details", ("name", "company_name", "trade_key", "specialties")),
        ("contact", ("phone", "email")),
        ("licensing", ("license_number", "insurance_expiry")),
        ("evaluation", ("rating",)),
        ("notes", ("notes",)),
    ),
}


def section_of(kind: str, key: str) -> str:
    for section, keys in SECTIONS[kind]:
        if key in keys:
            return section
    return "details"


class RequiredMarker:
    """Marks a field required (the `*` of forms.field); the check itself is the service's."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _render_kw(spec: FieldSpec) -> dict:
    render_kw = {}
    if spec.max_length and spec.type not in ("textarea",):
        render_kw["maxlength"] = spec.max_length
    if spec.type in ("email", "phone", "url"):
        render_kw["dir"] = "ltr"
        render_kw["autocomplete"] = {"email": "email", "phone": "tel", "url": "url"}[spec.type]
        render_kw["inputmode"] = {"email": "email", "phone": "tel", "url": "url"}[spec.type]
    elif spec.type in ("int", "decimal"):
        render_kw.update(inputmode="numeric" if spec.type == "int" else "decimal", dir="ltr")
        render_kw["autocomplete"] = "off"
    elif spec.type == "date":
        render_kw.update(type="date", dir="ltr")
    elif spec.type == "textarea":
        render_kw["rows"] = 4 if spec.key == "notes" else 3
    if spec.key == "name":
        render_kw["autocomplete"] = "off"
    return render_kw


def _unbound_field(spec: FieldSpec):
    options = {
        "label": spec.label,
        "validators": [RequiredMarker()] if spec.required else [],
        "render_kw": _render_kw(spec),
    }
    kind = spec.type
    if kind == "bool" and spec.key in TRI_STATE_BOOLS:
        return SelectField(
            choices=_choices([("", "—"), ("yes", _l("כן")), ("no", _l("לא"))]),
            validate_choice=False,
            **options,
        )
    if kind == "bool":
        return BooleanField(**options)
    if kind == "choice":
        empty = [] if spec.required else [("", "—")]
        return SelectField(
            choices=_choices(empty + list(spec.choices.items())), validate_choice=False, **options
        )
    if kind == "config":
        return SelectField(choices=[], validate_choice=False, **options)  # set per request
    if kind == "textarea":
        return TextAreaField(**options)
    if kind == "email":
        return EmailField(**options)
    if kind == "phone":
        return TelField(**options)
    if kind == "url":
        return URLField(**options)
    if kind == "tags":
        options["description"] = _l("מופרדים בפסיקים")
    return StringField(**options)


@dataclass(frozen=True)
class FormItem:
    field: object
    spec: FieldSpec | None  # None for the "referred by" client select

    @property
    def wide(self) -> bool:
        return self.spec is not None and self.spec.type in ("textarea", "tags")

    @property
    def suffix(self) -> str | None:
        return self.spec.suffix if self.spec else None


class ContactForm(FlaskForm):
    """Base of the generated classes; `kind` and `specs` are set by `contact_form_class`."""

    kind: str = ""
    specs: dict = {}

    def __init__(self, *args, exclude_client_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, spec in self.specs.items():
            if spec.type == "config":
                field = self[key]
                options = [("", _("בחירה…")), *config_choices(spec.config_kind, field.data)]
                field.choices = _choices(options)
        if REFERRER_KEY in self:
            self._set_referrer_choices(exclude_client_id)

    def _set_referrer_choices(self, exclude_id) -> None:
        from app.contacts import queries, services

        field = self[REFERRER_KEY]
        choices = queries.client_choices(exclude_id=exclude_id)
        current = str(field.data or "")
        if current and current not in {value for value, _label in choices}:
            # The current referrer may be archived (not offered): keep it selectable.
            referrer = services.get_contact(current, "client")
            if referrer is not None:
                choices.append((current, referrer.name))
        field.choices = _choices([("", "—"), *choices])

    def sections(self) -> list[dict]:
        """[{"key", "title", "items": [FormItem]}] for the fields this form holds."""
        result = []
        for section, keys in SECTIONS[self.kind]:
            items = [FormItem(self[k], self.specs.get(k)) for k in keys if k in self]
            if items:
                result.append({"key": section, "title": SECTION_TITLES[section], "items": items})
        return result

    def service_data(self) -> dict:
        """The submitted values as the services take them (raw strings, booleans)."""
        data = {}
        for key, spec in self.specs.items():
            value = self[key].data
            if spec.type == "bool" and key in TRI_STATE_BOOLS:
                value = value or ""
            data[key] = value
        if REFERRER_KEY in self:
            data[REFERRER_KEY] = self[REFERRER_KEY].data or ""
        return data


@lru_cache(maxsize=16)
def _form_class(kind: str, keys: tuple[str, ...]):
    specs = {spec.key: spec for spec in FIELDS[kind] if spec.key in keys}
    attributes = {"kind": kind, "specs": specs}
    attributes |= {key: _unbound_field(spec) for key, spec in specs.items()}
    if kind == "client":
        attributes[REFERRER_KEY] = SelectField(
            _l("הופנה על ידי לקוח"), choices=[], validate_choice=False
        )
    return type(f"{kind.title()}Form", (ContactForm,), attributes)


def contact_form_class(kind: str, membership):
    """The form class of `kind` with the fields `membership` may edit (commercial terms need
    can_edit_financials)."""
    keys = tuple(spec.key for spec in visible_specs(kind, membership, editing=True))
    return _form_class(kind, keys)


def initial_data(contact) -> dict:
    """A contact's stored values as the form's inputs show them."""
    data = {}
    for spec in FIELDS[contact.entity_type]:
        value = getattr(contact, spec.key)
        if value is None:
            value = (
                "" if spec.type != "bool" else (False if spec.key not in TRI_STATE_BOOLS else "")
            )
        elif spec.type == "bool" and spec.key in TRI_STATE_BOOLS:
            value = "yes" if value else "no"
        elif spec.type == "tags":
            value = ", ".join(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        elif spec.type == "int":
            value = str(value)
        data[spec.key] = value
    if contact.entity_type == "client":
        referrer = contact.referred_by_client_id
        data[REFERRER_KEY] = str(referrer) if referrer else ""
    return data


# ---------------------------------------------------------------------------------------------
# The contact page's small forms
# ---------------------------------------------------------------------------------------------


class CommunicationForm(FlaskForm):
    """The quick "log a call / note" form; the service checks the values. Inputs are named
    log-<field>, so they never clash with the contact form or the dates form on the page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "log")
        super().__init__(*args, **kwargs)

    type = SelectField(
        _l("סוג"),
        choices=_choices((t, vocab.COMMUNICATION_TYPE_LABELS[t]) for t in COMMUNICATION_TYPES),
        default="phone",
        validate_choice=False,
    )
    direction = SelectField(
        _l("כיוון"),
        choices=_choices(vocab.DIRECTION_LABELS.items()),
        default="outgoing",
        validate_choice=False,
    )
    subject = StringField(_l("נושא"), render_kw={"maxlength": 200})
    content = TextAreaField(
        _l("מה נאמר או נעשה"), validators=[RequiredMarker()], render_kw={"rows": 3}
    )
    date = StringField(
        _l("מועד"),
        description=_l("ריק: עכשיו"),
        render_kw={"type": "datetime-local", "dir": "ltr"},
    )


class ImportantDateForm(FlaskForm):
    """A client's important date; inputs named important-<field>."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "important")
        super().__init__(*args, **kwargs)

    date = StringField(
        _l("תאריך"), validators=[RequiredMarker()], render_kw={"type": "date", "dir": "ltr"}
    )
    description = StringField(
        _l("תיאור"), validators=[RequiredMarker()], render_kw={"maxlength": 200}
    )
    reminder = BooleanField(_l("להזכיר לי"))
