"""The reusable custom-fields form component for any entity.

In a route (the host form carries the CSRF token; custom fields are named `cf-<field_key>`):

    cf_form = custom_field_form("project", project.id, data=request.form if POST else None)
    errors = cf_form.validate()                 # {field_key: [Hebrew message]}; fields show them
    if not errors:
        cf_form.save(g.membership, entity=project)   # flushes; writes the activity log

or in one call: `errors = validate_and_save(actor, "project", project.id, request.form)`.
In the template: `{% from "custom_fields/_fields.html" import custom_fields_section %}`
`{{ custom_fields_section(cf_form) }}` inside the host <form>.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from flask import g
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.form import BaseForm
from wtforms.widgets import CheckboxInput, ListWidget

from app.activity.services import record_activity
from app.custom_fields import queries, types
from app.custom_fields.models import CustomFieldValue
from app.extensions import db

PREFIX = "cf"
CURRENCY_SYMBOLS = {"ILS": "₪", "USD": "$", "EUR": "€", "GBP": "£"}


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiselect (forms.field renders it as a fieldset of checks)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # choices are checked by types.clean, in Hebrew
        pass


class _Required:
    """Marks a field required (the `*` in forms.field); the check itself is types.clean."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def _tenant():
    membership = g.get("membership") if g else None
    return membership.tenant if membership else None


def _unbound_field(definition, currency: str):
    kind = definition.field_type
    render_kw = {}
    if definition.placeholder:
        render_kw["placeholder"] = definition.placeholder
    options = {
        "label": definition.name,
        "description": definition.help_text or "",
        "validators": [_Required()] if definition.is_required else [],
        "render_kw": render_kw,
    }
    choices = [SelectChoice(o["value"], o["label"]) for o in definition.options or []]
    if kind == "textarea":
        render_kw.setdefault("rows", 3)
        return TextAreaField(**options)
    if kind == "select":
        return SelectField(
            choices=[SelectChoice("", _("בחירה…")), *choices], validate_choice=False, **options
        )
    if kind == "multiselect":
        return MultiCheckboxField(choices=choices, **options)
    if kind == "boolean":
        return BooleanField(**options)
    if kind == "email":
        return EmailField(**options)
    if kind == "phone":
        return TelField(**options)
    if kind in ("url", "file"):
        if kind == "file" and not definition.placeholder:
            render_kw["placeholder"] = "https://"
        return URLField(**options)
    if kind in types.NUMERIC_TYPES:
        render_kw.update(inputmode="decimal", dir="ltr", autocomplete="off")
    elif kind == "date":
        render_kw.update(type="date", dir="ltr")
    elif kind == "datetime":
        render_kw.update(type="datetime-local", dir="ltr")
    return StringField(**options)


@dataclass
class CustomFieldItem:
    definition: object
    field: object
    prefix: str | None = None
    wide: bool = False

    @property
    def key(self) -> str:
        return self.definition.field_key


class CustomFieldForm:
    def __init__(self, entity_type, entity_id, defs, stored, formdata, tz, currency, errors=None):
        self.entity_type = entity_type
        self.entity_id = entity_id
        self.tz = tz
        self.definitions = defs
        self._stored = stored  # {definition id: CustomFieldValue}
        self._cleaned: dict | None = None
        self.form = BaseForm(
            [(d.field_key, _unbound_field(d, currency)) for d in defs], prefix=PREFIX
        )
        initial = {}
        for d in defs:
            row = stored.get(d.id)
            raw = row.value if row is not None else (d.default_value if entity_id is None else None)
            initial[d.field_key] = types.to_input(d, raw, tz)
        if formdata is not None and not hasattr(formdata, "getlist"):
            formdata = MultiDict(formdata)
        self.form.process(formdata, data=initial)
        symbol = CURRENCY_SYMBOLS.get(currency, currency)
        self.items = [
            CustomFieldItem(
                d,
                self.form[d.field_key],
                prefix=symbol if d.field_type == "currency" else None,
                wide=d.field_type in ("textarea", "multiselect"),
            )
            for d in defs
        ]
        for key, messages in (errors or {}).items():
            if key in self.form:
                self.form[key].errors = list(messages)

    # --- rendering -----------------------------------------------------------------------

    @property
    def fields(self) -> list[CustomFieldItem]:
        return self.items

    @property
    def groups(self) -> list[dict]:
        """[{"name": group name or None, "items": [...]}], groups in order of first field."""
        groups: dict = {}
        for item in self.items:
            name = (item.definition.group_name or "").strip() or None
            groups.setdefault(name, []).append(item)
        return [{"name": name, "items": items} for name, items in groups.items()]

    def __bool__(self) -> bool:
        return bool(self.items)

    # --- validation and saving -------------------------------------------------------------

    def validate(self) -> dict[str, list[str]]:
        errors, cleaned = {}, {}
        for item in self.items:
            stored, error = types.clean(item.definition, item.field.data, self.tz)
            if error:
                item.field.errors = [error]
                errors[item.key] = [error]
            else:
                item.field.errors = []
                cleaned[item.definition.id] = stored
        self._cleaned = None if errors else cleaned
        return errors

    def changes(self) -> dict:
        """{field_key: {"old", "new"}} (display text) that save() would write; after validate()."""
        if self._cleaned is None:
            raise RuntimeError("validate() first, and only save valid values")
        result = {}
        for d in self.definitions:
            row = self._stored.get(d.id)
            old = row.value if row is not None else None
            new = self._cleaned.get(d.id)
            if d.field_type == "boolean" and old is None and new == "false":
                continue
            if old != new:
                result[d.field_key] = {
                    "old": types.display(d, types.parse_stored(d, old, self.tz), self.tz) or None,
                    "new": types.display(d, types.parse_stored(d, new, self.tz), self.tz) or None,
                }
        return result

    def save(self, actor, entity_id=None, entity=None, record: bool = True) -> dict:
        """Write the validated values (flush, no commit); returns the changes.

        `entity_id` for an entity created in the same request; `entity` names the log entry.
        `record=False` when the caller logs the changes together with its own.
        """
        entity_id = entity_id or self.entity_id or getattr(entity, "id", None)
        if entity_id is None:
            raise ValueError("save() needs the entity's id")
        changes = self.changes()
        for d in self.definitions:
            if d.field_key not in changes:
                continue
            row, new = self._stored.get(d.id), self._cleaned.get(d.id)
            if new is None:
                if row is not None:
                    db.session.delete(row)
                    del self._stored[d.id]
            elif row is None:
                row = CustomFieldValue(
                    field_id=d.id, entity_type=self.entity_type, entity_id=entity_id, value=new
                )
                db.session.add(row)
                self._stored[d.id] = row
            else:
                row.value = new
        db.session.flush()
        if record and changes:
            target = entity or SimpleNamespace(id=entity_id)
            record_activity(
                actor,
                "updated",
                target,
                changes={f"custom.{k}": v for k, v in changes.items()},
                entity_type=self.entity_type,
            )
        return changes


def custom_field_form(
    entity_type: str, entity_id=None, data=None, errors: dict | None = None, *, tenant=None
) -> CustomFieldForm:
    """The custom fields of `entity_type` with the entity's current values (or the definitions'
    defaults for a new entity), or the submitted `data` (request.form) when given.

    Two queries (definitions, values); none when the studio has no definitions for the type.
    """
    tenant = tenant or _tenant()
    tz = getattr(tenant, "timezone", None) or "Asia/Jerusalem"
    currency = getattr(tenant, "currency", None) or "ILS"
    defs = queries.definitions(entity_type)
    stored = queries.stored_values(entity_type, entity_id) if defs and entity_id else {}
    return CustomFieldForm(entity_type, entity_id, defs, stored, data, tz, currency, errors)


def validate_and_save(actor, entity_type: str, entity_id, formdata, entity=None) -> dict:
    """Validate every custom field of the entity from `formdata` and save them all, or nothing.

    Returns {field_key: [Hebrew message]}; empty when saved. The caller checks that `actor`
    may edit the entity, and commits.
    """
    form = custom_field_form(entity_type, entity_id, data=formdata)
    errors = form.validate()
    if not errors:
        form.save(actor, entity=entity)
    return errors
