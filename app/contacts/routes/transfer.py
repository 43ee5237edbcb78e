"""CSV import (upload → mapping → preview → confirm), and CSV / vCard export.

Import and list exports are for owners and managers (`permissions.can_transfer`); any
member may download one contact's vCard. The uploaded file stays in file storage and the
steps pass its id (and the mapping, as form fields): nothing of it goes into the cookie.
"""

import io
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.contacts import exporting, importing, permissions, transfer
from app.contacts.fields import config_choices, visible_specs
from app.contacts.importing import ImportPlan, check_rows
from app.contacts.models import CONTACT_MODELS
from app.contacts.queries import ContactFilters
from app.contacts.routes import bp, contact_or_404, kind_from_tab
from app.contacts.transfer import (
    MAX_BYTES,
    MAX_ROWS,
    CsvRejected,
    default_specs,
    guess_mapping,
    write_csv,
)
from app.contacts.vocab import KIND_LABELS, KIND_PLURAL_LABELS, TAB_OF
from app.core.errors import ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import request_origin
from app.extensions import db
from app.jobs.services import enqueue, job_for
from app.labels import services as labels

JOB_KIND = "contacts_import"
JOB_FUNC = "jobs.contacts_import.import_contacts"
# Files with more rows than this are imported by a background job with a progress bar.
JOB_THRESHOLD = 200
PREVIEW_ROWS = 20
MAX_LISTED_ERRORS = 200


def _transfer_kind() -> str:
    if not permissions.can_transfer(g.membership):
        abort(403)
    return kind_from_tab(request.args.get("tab"))


def _page(template: str, kind: str, status: int = 200, **context):
    context |= {
        "kind": kind,
        "tab": TAB_OF[kind],
        "kind_label": KIND_LABELS[kind],
        "kind_plural": KIND_PLURAL_LABELS[kind],
        "max_mb": MAX_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
    }
    return render_template(template, **context), status


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@member_of_tenant()
def import_start():
    kind = _transfer_kind()
    error = None
    if request.method == "POST":
        try:
            stored, _table = transfer.save_upload(g.membership, request.files.get("file"))
        except ValidationFailed as failure:
            db.session.rollback()
            error = failure.messages[0]
        else:
            db.session.commit()
            return redirect(url_for(".import_mapping", upload_id=stored.id, tab=TAB_OF[kind]))
    return _page("contacts/import.html", kind, 422 if error else 200, error=error)


@bp.get("/import/template.csv")
@member_of_tenant()
def import_template():
    """An empty file with the columns the import recognises, to fill in Excel."""
    kind = _transfer_kind()
    headers = [str(s.label) for s in visible_specs(kind, g.membership, editing=True)]
    return _download(write_csv(headers, []), "text/csv", f"{TAB_OF[kind]}-template.csv")


def _upload_and_table(upload_id, kind):
    """(stored file, table), or a redirect to the upload step when it is gone."""
    stored = transfer.get_upload(g.membership, upload_id) or abort(404)
    try:
        return stored, transfer.load_table(stored), None
    except (CsvRejected, FileNotFoundError):
        flash(_("הקובץ שהועלה כבר לא זמין. העלו אותו שוב."), "error")
        return None, None, redirect(url_for(".import_start", tab=TAB_OF[kind]))


def _model_defaults(kind: str, specs) -> dict:
    """The values a new contact gets anyway (client type, status…), preselected as defaults."""
    columns = CONTACT_MODELS[kind].__table__.c
    found = {}
    for spec in default_specs(kind, specs):
        column = columns.get(spec.key)
        default = getattr(column.default, "arg", None) if column is not None else None
        if isinstance(default, str):
            found[spec.key] = default
    return found


def _default_options(spec) -> list[tuple[str, str]]:
    if spec.type == "config":
        return config_choices(spec.config_kind)
    return [(key, str(label)) for key, label in spec.choices.items()]


def _mapping_page(kind, stored, table, plan, errors=(), status=200):
    specs = visible_specs(kind, g.membership, editing=True)
    return _page(
        "contacts/import_mapping.html",
        kind,
        status,
        stored=stored,
        table=table,
        plan=plan,
        errors=list(errors),
        specs=specs,
        default_fields=[(s, _default_options(s)) for s in default_specs(kind, specs)],
    )


@bp.get("/import/<uuid:upload_id>")
@member_of_tenant()
def import_mapping(upload_id):
    kind = _transfer_kind()
    stored, table, gone = _upload_and_table(upload_id, kind)
    if gone:
        return gone
    specs = visible_specs(kind, g.membership, editing=True)
    if request.args.get("mapped"):  # back from the preview: keep what was chosen
        plan, _errors = ImportPlan.from_form(kind, request.args, table, specs)
    else:
        plan = ImportPlan(
            kind, guess_mapping(kind, table.headers, specs), _model_defaults(kind, specs)
        )
    return _mapping_page(kind, stored, table, plan)


def _preview_page(kind, stored, table, plan, error=None, status=200):
    check = check_rows(g.membership, table, plan)
    mapped = [(i, key) for i, key in sorted(plan.mapping.items())]
    specs = {s.key: s for s in visible_specs(kind, g.membership, editing=True)}
    skip_plan = ImportPlan(plan.kind, plan.mapping, plan.defaults, "skip", plan.valid_only)
    return _page(
        "contacts/import_preview.html",
        kind,
        status,
        stored=stored,
        table=table,
        plan=plan,
        check=check,
        error=error,
        error_lines=check.error_lines(),
        max_listed_errors=MAX_LISTED_ERRORS,
        preview_rows=check.rows[:PREVIEW_ROWS],
        columns=[specs[key] for _i, key in mapped],
        count_if_skipped=len(check.rows_for("skip")),
        count_if_imported=len(check.rows_for("import")),
        back_url=url_for(
            ".import_mapping",
            upload_id=stored.id,
            tab=TAB_OF[kind],
            mapped="1",
            **dict(skip_plan.fields()),
        ),
        runs_as_job=len(table.rows) > JOB_THRESHOLD,
    )


@bp.get("/import/<uuid:upload_id>/preview")
@member_of_tenant()
def import_preview(upload_id):
    kind = _transfer_kind()
    stored, table, gone = _upload_and_table(upload_id, kind)
    if gone:
        return gone
    specs = visible_specs(kind, g.membership, editing=True)
    plan, errors = ImportPlan.from_form(kind, request.args, table, specs)
    if errors:
        return _mapping_page(kind, stored, table, plan, errors, status=422)
    return _preview_page(kind, stored, table, plan)


@bp.post("/import/<uuid:upload_id>/confirm")
@member_of_tenant()
def import_confirm(upload_id):
    kind = _transfer_kind()
    stored, table, gone = _upload_and_table(upload_id, kind)
    if gone:
        return gone
    specs = visible_specs(kind, g.membership, editing=True)
    plan, errors = ImportPlan.from_form(kind, request.form, table, specs)
    if errors:
        return _mapping_page(kind, stored, table, plan, errors, status=422)
    tab = TAB_OF[kind]
    if len(table.rows) > JOB_THRESHOLD:
        run = enqueue(
            g.membership,
            JOB_KIND,
            JOB_FUNC,
            stored.id,
            g.membership.id,
            plan.to_json(),
            message=_("הייבוא ממתין בתור…"),
        )
        db.session.commit()  # the job starts now (inline without Redis)
        return redirect(url_for(".import_job", job_id=run.id, tab=tab))
    try:
        outcome = importing.run_import(g.membership, table, plan)
    except importing.ImportFailed as failure:
        db.session.rollback()  # all or nothing: no contact of this file stays
        return _preview_page(kind, stored, table, plan, error=failure.message, status=422)
    transfer.discard_upload(stored)
    db.session.commit()
    return redirect(
        url_for(
            ".import_result",
            tab=tab,
            created=outcome.created,
            invalid=outcome.skipped_invalid,
            duplicates=outcome.skipped_duplicates,
        )
    )


def _count(name: str) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else 0


@bp.get("/import/done")
@member_of_tenant()
def import_result():
    kind = _transfer_kind()
    outcome = importing.ImportOutcome(_count("created"), _count("invalid"), _count("duplicates"))
    return _page("contacts/import_done.html", kind, outcome=outcome)


@bp.get("/import/jobs/<uuid:job_id>")
@member_of_tenant()
def import_job(job_id):
    kind = _transfer_kind()
    job = job_for(g.membership, job_id)
    if job is None or job.kind != JOB_KIND:
        abort(404)
    return _page("contacts/import_job.html", kind, job=job)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _download(data: bytes, mimetype: str, name: str):
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _selection(kind: str) -> list:
    """The ticked rows (`ids=`), or everything the list's filters match."""
    ids = [i for i in request.args.getlist("ids") if i]
    if ids:
        return exporting.contacts_to_export(g.membership, kind, ids=ids)
    filters = ContactFilters.from_args(kind, request.args)
    return exporting.contacts_to_export(g.membership, kind, filters=filters)


def _file_name(kind: str, extension: str) -> str:
    return f"{TAB_OF[kind]}-{date.today().isoformat()}.{extension}"


@bp.get("/export.csv")
@member_of_tenant()
def export_csv():
    kind = _transfer_kind()
    contacts = _selection(kind)
    data = exporting.contacts_csv(g.membership, kind, contacts)
    exporting.record_export(g.membership, kind, "CSV", len(contacts), request_origin())
    db.session.commit()
    return _download(data, "text/csv; charset=utf-8", _file_name(kind, "csv"))


@bp.get("/export.vcf")
@member_of_tenant()
def export_vcf():
    kind = _transfer_kind()
    contacts = _selection(kind)
    text = exporting.vcards(kind, contacts)
    exporting.record_export(g.membership, kind, "vCard", len(contacts), request_origin())
    db.session.commit()
    return _download(text.encode("utf-8"), "text/vcard; charset=utf-8", _file_name(kind, "vcf"))


@bp.get("/<uuid:contact_id>/vcard")
@member_of_tenant()
def contact_vcard(contact_id):
    contact = contact_or_404(contact_id)
    names = [
        label.name for label in labels.labels_for(contact.entity_type, [contact.id])[contact.id]
    ]
    text = exporting.vcard(contact, names)
    safe_name = "".join(c for c in contact.name if c not in '/\\:*?"<>|').strip() or "contact"
    return _download(text.encode("utf-8"), "text/vcard; charset=utf-8", f"{safe_name}.vcf")
