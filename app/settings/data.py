"""נתונים: export all of the studio's data (owners only)."""

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, request_origin
from app.extensions import db
from app.jobs.exports import EXPORT_KIND, can_export_data, start_data_export
from app.jobs.services import latest_job
from app.settings import bp
from app.settings.tabs import register_settings_tab


@bp.get("/data")
@member_of_tenant(roles=("owner",))
def data():
    return render("settings/data.html", job=latest_job(g.membership, EXPORT_KIND))


@bp.post("/data/export")
@member_of_tenant(roles=("owner",))
def start_export():
    run = start_data_export(g.membership, request_origin())
    job_id = run.id
    db.session.commit()  # the job starts now (inline without Redis, else on a worker)
    if is_htmx():
        from app.jobs.services import job_for

        return render("jobs/_progress.html", job=job_for(g.membership, job_id))
    flash(_("הייצוא התחיל. הקישור להורדה יופיע כאן כשיהיה מוכן."), "success")
    return redirect(url_for("settings.data"))


register_settings_tab(
    _l("נתונים"),
    "settings.data",
    "download",
    80,
    lambda m: can_export_data(m),
    ("settings.start_export",),
)
