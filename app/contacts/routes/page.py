"""A contact's page, /contacts/<id>: header and quick actions, details (view ↔ edit), the
client's important dates, evaluation and referrals, a supplier's commercial terms, the
communication log and the history. What each card shows: page_cards.py.

Every card is a fragment with a stable id. `?part=<name>` returns one card alone (an HTMX
request): the cards re-fetch themselves that way on the realtime topic contact:<id>, and the
timeline's "load more" asks for `part=more&before=<date>`. Actions answer with the card they
changed (HTMX) or redirect back to the page (no JavaScript).
"""

from datetime import UTC

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.contacts import communication, important_dates, permissions, services, vocab
from app.contacts.fields import SPECS
from app.contacts.forms import (
    CommunicationForm,
    ImportantDateForm,
    contact_form_class,
    initial_data,
)
from app.contacts.models import CONTACT_MODELS
from app.contacts.routes import bp, contact_or_404
from app.contacts.routes.page_cards import (
    before_arg,
    client_context,
    dates_context,
    details_context,
    edit_context,
    entries_context,
    header_context,
    history_context,
    more_context,
    terms_context,
    timeline_context,
    tz,
)
from app.core.errors import ValidationFailed
from app.core.forms import run_service
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.custom_fields.component import custom_field_form
from app.custom_fields.types import parse_local_datetime
from app.extensions import db
from app.labels import services as labels


def _register_label_target(kind: str) -> None:
    labels.register_label_target(
        kind,
        load=lambda entity_id: services.get_contact(entity_id, kind),
        can_edit=lambda membership, contact: permissions.can_edit(membership),
    )


for _kind in CONTACT_MODELS:
    _register_label_target(_kind)


PARTS = {
    "header": ("contacts/_contact_header.html", header_context),
    "details": ("contacts/_contact_details.html", details_context),
    "terms": ("contacts/_contact_terms.html", terms_context),
    "client": ("contacts/_contact_client.html", client_context),
    "dates": ("contacts/_contact_dates_list.html", dates_context),
    "timeline": ("contacts/_contact_timeline_list.html", entries_context),
    "more": ("contacts/_contact_timeline_entries.html", more_context),
}


def _page(
    contact, *, form=None, custom=None, log_form=None, date_form=None, before=None, status=200
):
    kind = contact.entity_type
    context = header_context(contact) | details_context(contact)
    context |= timeline_context(contact, log_form, before) | history_context(contact)
    if form is not None:
        context |= edit_context(contact, form, custom) | {"editing": True}
    if kind == "supplier" and g.membership.has("can_view_financials"):
        context |= terms_context(contact)
    if kind == "client":
        context |= client_context(contact) | dates_context(contact, date_form)
    return render("contacts/show.html", status=status, **context)


def _back(contact, anchor: str = ""):
    return redirect(url_for("contacts.show", contact_id=contact.id) + anchor)


# ---------------------------------------------------------------------------------------------
# The page and its details card
# ---------------------------------------------------------------------------------------------


@bp.get("/<uuid:contact_id>")
@member_of_tenant()
def show(contact_id):
    contact = contact_or_404(contact_id)
    part = PARTS.get(request.args.get("part", ""))
    if part is not None and is_htmx():
        template, context = part
        return render(template, **context(contact))
    return _page(contact, before=before_arg())  # without JavaScript "load more" lands here


def _save(contact, form, custom) -> dict:
    """The contact's fields and custom fields together: all saved, or nothing."""
    kind = contact.entity_type
    data = form.service_data()
    # Fields the form leaves out (commercial terms without can_edit_financials) are refused by
    # the service, not silently dropped.
    data |= {k: request.form[k] for k in request.form if k in SPECS[kind] and k not in data}
    custom_errors = custom.validate()
    changes = services.update_contact(g.membership, contact, data)
    if custom_errors:
        raise ValidationFailed({})  # the messages are already on the custom fields
    return changes | custom.save(g.membership, entity=contact)


def _saved_response(contact, message: str):
    """The details card back in view mode, and the cards that show the same fields (OOB)."""
    kind = contact.entity_type
    html = render_template("contacts/_contact_details.html", **details_context(contact))
    html += render_template("contacts/_contact_header.html", oob=True, **header_context(contact))
    if kind == "client":
        html += render_template(
            "contacts/_contact_client.html", oob=True, **client_context(contact)
        )
    if kind == "supplier" and g.membership.has("can_view_financials"):
        html += render_template("contacts/_contact_terms.html", oob=True, **terms_context(contact))
    return with_toast(make_response(html), message)


@bp.route("/<uuid:contact_id>/edit", methods=["GET", "POST"])
@member_of_tenant()
def edit(contact_id):
    contact = contact_or_404(contact_id)
    kind = contact.entity_type
    form_class = contact_form_class(kind, g.membership)
    if request.method == "GET":
        form = form_class(formdata=None, data=initial_data(contact), exclude_client_id=contact.id)
        if is_htmx():  # the card swaps in place: keyboard focus goes to its first field
            form.name.render_kw = {**(form.name.render_kw or {}), "autofocus": True}
        custom = custom_field_form(kind, contact.id)
        status = 200
    else:
        form = form_class(exclude_client_id=contact.id)
        custom = custom_field_form(kind, contact.id, data=request.form)
        ok, changes = run_service(form, lambda: _save(contact, form, custom))
        if ok:
            db.session.commit()
            message = _("הפרטים נשמרו.") if changes else _("לא היה מה לעדכן.")
            if is_htmx():
                return _saved_response(contact, message)
            flash(message, "success" if changes else "info")
            return _back(contact)
        status = 422
    if is_htmx():
        return render(
            "contacts/_contact_edit.html", status=status, **edit_context(contact, form, custom)
        )
    return _page(contact, form=form, custom=custom, status=status)


# ---------------------------------------------------------------------------------------------
# The communication log
# ---------------------------------------------------------------------------------------------


def _when(text: str | None):
    """The form's local date and time (studio timezone) as UTC; None means now."""
    if not (text or "").strip():
        return None
    local = parse_local_datetime(text)
    if local is None:
        raise ValidationFailed({"date": [_("המועד אינו תקין (לדוגמה: 31/12/2026 14:30).")]})
    return local.replace(tzinfo=tz()).astimezone(UTC)


@bp.post("/<uuid:contact_id>/log")
@member_of_tenant()
def log_communication(contact_id):
    contact = contact_or_404(contact_id)
    form = CommunicationForm()
    ok, _entry = run_service(
        form,
        lambda: communication.log_communication(
            g.membership,
            contact,
            type=form.type.data,
            direction=form.direction.data,
            subject=form.subject.data,
            content=form.content.data,
            date=_when(form.date.data),
        ),
    )
    if ok:
        db.session.commit()
        if not is_htmx():
            flash(_("נרשם ביומן התקשורת."), "success")
            return _back(contact, "#contact-timeline")
        form = None
    if is_htmx():
        response = render(
            "contacts/_contact_timeline.html",
            status=200 if ok else 422,
            **timeline_context(contact, form),
        )
        return with_toast(response, _("נרשם ביומן התקשורת.")) if ok else response
    return _page(contact, log_form=form, status=422)


@bp.post("/<uuid:contact_id>/log/<uuid:entry_id>/delete")
@member_of_tenant()
def delete_communication(contact_id, entry_id):
    contact = contact_or_404(contact_id)
    entry = communication.get_entry(contact, entry_id) or abort(404)
    communication.delete_entry(g.membership, contact, entry)  # others' entries: 403
    db.session.commit()
    if is_htmx():  # the entry's <li> is swapped for nothing
        return with_toast(make_response(""), _("הרשומה נמחקה."))
    flash(_("הרשומה נמחקה."), "success")
    return _back(contact, "#contact-timeline")


# ---------------------------------------------------------------------------------------------
# A client's important dates
# ---------------------------------------------------------------------------------------------


def _dates_response(contact, message: str | None, form=None, status=200):
    if is_htmx():
        response = render(
            "contacts/_contact_dates.html", status=status, **dates_context(contact, form)
        )
        return with_toast(response, message) if message else response
    if message:
        flash(message, "success")
        return _back(contact, "#contact-dates")
    return _page(contact, date_form=form, status=status)


@bp.post("/<uuid:contact_id>/dates")
@member_of_tenant()
def add_important_date(contact_id):
    contact = contact_or_404(contact_id, "client")
    form = ImportantDateForm()
    ok, _item = run_service(
        form,
        lambda: important_dates.add_important_date(
            g.membership,
            contact,
            date=form.date.data,
            description=form.description.data,
            reminder=form.reminder.data,
        ),
    )
    if not ok:
        return _dates_response(contact, None, form, status=422)
    db.session.commit()
    return _dates_response(contact, _("התאריך נוסף."))


@bp.post("/<uuid:contact_id>/dates/<uuid:date_id>/delete")
@member_of_tenant()
def delete_important_date(contact_id, date_id):
    contact = contact_or_404(contact_id, "client")
    item = important_dates.get_important_date(contact, date_id) or abort(404)
    important_dates.delete_important_date(g.membership, contact, item)
    db.session.commit()
    return _dates_response(contact, _("התאריך הוסר."))


# ---------------------------------------------------------------------------------------------
# Archive, restore, delete
# ---------------------------------------------------------------------------------------------


@bp.post("/<uuid:contact_id>/archive")
@member_of_tenant()
def archive(contact_id):
    contact = contact_or_404(contact_id)
    services.set_archived(g.membership, [contact], True)  # no permission: 403
    db.session.commit()
    flash(_("%(name)s הועבר/ה לארכיון.", name=contact.name), "success")
    return _back(contact)


@bp.post("/<uuid:contact_id>/restore")
@member_of_tenant()
def restore(contact_id):
    contact = contact_or_404(contact_id)
    services.set_archived(g.membership, [contact], False)
    db.session.commit()
    flash(_("%(name)s שוחזר/ה מהארכיון.", name=contact.name), "success")
    return _back(contact)


@bp.post("/<uuid:contact_id>/delete")
@member_of_tenant()
def delete(contact_id):
    contact = contact_or_404(contact_id)
    permissions.require(permissions.can_delete(g.membership), _("אין לך הרשאה למחוק."))
    if (request.form.get("confirm_text") or "").strip() != _("מחק"):
        flash(_("כדי למחוק לצמיתות יש להקליד „%(word)s”.", word=_("מחק")), "error")
        return _back(contact)
    name, kind = contact.name, contact.entity_type
    try:
        services.delete_contact(g.membership, contact)
    except ValidationFailed as error:
        db.session.rollback()
        flash(" ".join(error.messages), "error")
        return _back(contact)
    db.session.commit()
    flash(_("%(name)s נמחק/ה לצמיתות.", name=name), "success")
    return redirect(url_for("contacts.index", tab=vocab.TAB_OF[kind], archived="1"))
