"""The project form, built from the field specs (app/projects/fields.py).

One generic class serves the create panel of the list and the edit form of the hub:

    form = project_form_class(g.membership)(data=initial_data(project))      # GET (edit)
    form = project_form_class(g.membership)(formdata=request.form)           # POST
    ok, changes = run_service(form, lambda: services.update_project(actor, project,
                                                                     form.service_data()))

The fields carry no validators: `fields.clean_project` (through the services) is the one place
that accepts or refuses a value, and `run_service` puts its messages next to the fields.
`form.sections(only=..., skip=...)` groups the fields for a template (see _panel.html).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.core.fieldspec import FieldSpec, config_choices
from app.projects.fields import PROJECT_FIELDS, visible_specs

CLIENT_KEY = "client_id"
CODE_KEY = "code"
# Defaults a new project starts with (the services apply the same when a value is missing).
DEFAULTS = {"priority": "medium", "billing_type": "fixed", "revisions_included": "2"}

SECTION_TITLES = {
    "details": _l("פרטי הפרויקט"),
    "status": _l("סטטוס ושלב"),
    "location": _l("מיקום ושטח"),
    "dates": _l("תאריכים"),
    "finance": _l("תקציב ותמחור"),
    "scope": _l("היקף ותוצרים"),
    "permit": _l("היתר בנייה"),
}

SECTIONS = (
    ("details", ("name", CLIENT_KEY, "type_key", CODE_KEY, "description")),
    ("status", ("status_key", "phase_key", "priority", "is_vip")),
    ("dates", ("start_date", "expected_end_date", "actual_end_date")),
    ("location", ("address", "city", "area", "floors")),
    (
        "finance",
        (
            "budget",
            "billing_type",
            "fixed_fee",
            "hourly_rate",
            "estimated_hours",
            "percentage_of_budget",
            "markup_percent",
        ),
    ),
    ("scope", ("scope", "deliverables", "revisions_included")),
    ("permit", ("requires_permit", "permit_status", "permit_number")),
)


class RequiredMarker:
    """Marks a field required (the `*` of forms.field); the check itself is the service's."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _render_kw(spec: FieldSpec) -> dict:
    render_kw = {}
    if spec.max_length and spec.type != "textarea":
        render_kw["maxlength"] = spec.max_length
    if spec.type in ("int", "decimal"):
        render_kw.update(inputmode="numeric" if spec.type == "int" else "decimal", dir="ltr")
        render_kw["autocomplete"] = "off"
    elif spec.type == "date":
        render_kw.update(type="date", dir="ltr")
    elif spec.type == "textarea":
        render_kw["rows"] = 3
    if spec.key == "name":
        render_kw["autocomplete"] = "off"
    return render_kw


def _unbound_field(spec: FieldSpec):
    options = {
        "label": spec.label,
        "validators": [RequiredMarker()] if spec.required else [],
        "render_kw": _render_kw(spec),
        "default": DEFAULTS.get(spec.key),
    }
    if spec.type == "bool":
        options.pop("default")
        return BooleanField(**options)
    if spec.type == "choice":
        empty = [] if spec.required else [("", "—")]
        return SelectField(
            choices=_choices(empty + list(spec.choices.items())), validate_choice=False, **options
        )
    if spec.type == "config":
        return SelectField(choices=[], validate_choice=False, **options)  # set per request
    if spec.type == "textarea":
        return TextAreaField(**options)
    if spec.type == "tags":
        options["description"] = _l("מופרדים בפסיקים")
    return StringField(**options)


@dataclass(frozen=True)
class FormItem:
    field: object
    spec: FieldSpec | None  # None for the client select and the code

    @property
    def wide(self) -> bool:
        return self.spec is not None and self.spec.type in ("textarea", "tags")

    @property
    def suffix(self) -> str | None:
        return self.spec.suffix if self.spec else None


class ProjectForm(FlaskForm):
    """Base of the generated classes; `specs` is set by `project_form_class`."""

    specs: dict = {}

    def __init__(self, *args, client_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, spec in self.specs.items():
            if spec.type == "config":
                field = self[key]
                empty = [] if spec.required else [("", _("בחירה…"))]
                field.choices = _choices(empty + config_choices(spec.config_kind, field.data))
        self._set_client_choices(client_choices)

    def _set_client_choices(self, choices) -> None:
        from app.contacts import queries as contact_queries
        from app.contacts import services as contacts

        field = self[CLIENT_KEY]
        choices = list(choices if choices is not None else contact_queries.client_choices())
        current = str(field.data or "")
        if current and current not in {value for value, _label in choices}:
            # The current client may be archived (not offered): keep it selectable.
            client = contacts.get_contact(current, "client")
            if client is not None:
                choices.append((current, client.name))
        field.choices = _choices([("", _("ללא לקוח")), *choices])

    def sections(self, only=None, skip=()) -> list[dict]:
        """[{"key", "title", "items": [FormItem]}] for the fields this form holds; `only` and
        `skip` take field keys (the create panel shows a few first, the rest under "more")."""
        result = []
        for section, keys in SECTIONS:
            items = [
                FormItem(self[k], self.specs.get(k))
                for k in keys
                if k in self and (only is None or k in only) and k not in skip
            ]
            if items:
                result.append({"key": section, "title": SECTION_TITLES[section], "items": items})
        return result

    def service_data(self, keys=None) -> dict:
        """The submitted values as the services take them (raw strings, booleans); `keys`
        limits them to some fields."""
        data = {key: self[key].data for key in self.specs}
        data[CLIENT_KEY] = self[CLIENT_KEY].data or ""
        data[CODE_KEY] = (self[CODE_KEY].data or "").strip()
        if keys is not None:
            data = {k: v for k, v in data.items() if k in keys}
        return data


@lru_cache(maxsize=8)
def _form_class(keys: tuple[str, ...]):
    specs = {spec.key: spec for spec in PROJECT_FIELDS if spec.key in keys}
    attributes = {"specs": specs}
    attributes |= {key: _unbound_field(spec) for key, spec in specs.items()}
    attributes[CLIENT_KEY] = SelectField(_l("לקוח"), choices=[], validate_choice=False)
    attributes[CODE_KEY] = StringField(
        _l("קוד פרויקט"),
        render_kw={"maxlength": 20, "dir": "ltr", "autocomplete": "off"},
    )
    return type("ProjectFormFor", (ProjectForm,), attributes)


def project_form_class(membership):
    """The form class with the fields `membership` may edit (budget and fees need
    can_edit_financials)."""
    keys = tuple(spec.key for spec in visible_specs(PROJECT_FIELDS, membership, editing=True))
    return _form_class(keys)


def initial_data(project) -> dict:
    """A project's stored values as the form's inputs show them."""
    data = {}
    for spec in PROJECT_FIELDS:
        value = getattr(project, spec.key)
        if value is None:
            value = False if spec.type == "bool" else ""
        elif spec.type == "tags":
            value = ", ".join(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        elif spec.type == "int":
            value = str(value)
        data[spec.key] = value
    data[CLIENT_KEY] = str(project.client_id) if project.client_id else ""
    data[CODE_KEY] = project.code
    return data
