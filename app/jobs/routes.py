"""A job's progress fragment and its result download."""

from flask import Blueprint, abort, g
from flask_babel import gettext as _

from app.core.permissions import member_of_tenant
from app.core.render import render
from app.files.services import file_response
from app.jobs.services import job_for

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job_or_404(job_id):
    run = job_for(g.membership, job_id)
    return run or abort(404)


@bp.get("/<uuid:job_id>")
@member_of_tenant()
def show(job_id):
    """The progress fragment (HTMX polls it); a small page around it otherwise."""
    return render("jobs/show.html", "jobs/_progress.html", job=_job_or_404(job_id))


@bp.get("/<uuid:job_id>/download")
@member_of_tenant()
def download(job_id):
    run = _job_or_404(job_id)
    if not run.has_result:
        abort(404)
    if run.result_expired:
        return render(
            "errors/error.html",
            code=410,
            title=_("פג תוקף הקישור"),
            message=_("הקובץ היה זמין להורדה 24 שעות ונמחק. הפיקו ייצוא חדש כדי לקבל קובץ עדכני."),
            status=410,
        )
    return file_response(
        key=run.result_key,
        content_type=run.result_content_type,
        download_name=run.result_name,
        as_attachment=True,
    )
