"""Importing a large CSV of contacts in the background (more than `JOB_THRESHOLD` rows).

The runner commits what the job wrote only when it succeeds; any failure rolls every
created contact back, so an import is all or nothing here too.
"""

import uuid

from flask_babel import gettext as _

from app.contacts import importing, transfer
from app.contacts.permissions import can_transfer
from app.contacts.transfer import CsvRejected
from app.extensions import db
from app.jobs.services import JobError, JobResult
from app.tenants.models import Membership


def import_contacts(upload_id: str, membership_id: str, plan_json: str, *, progress) -> JobResult:
    actor = db.session.get(Membership, uuid.UUID(membership_id))
    if actor is None or not actor.is_active or not can_transfer(actor):
        raise JobError(_("אין לך עוד הרשאה לייבא אנשי קשר."))
    stored = transfer.get_upload(actor, upload_id)
    if stored is None:
        raise JobError(_("הקובץ שהועלה כבר לא זמין. העלו אותו שוב."))
    try:
        table = transfer.load_table(stored)
    except (CsvRejected, FileNotFoundError):
        raise JobError(_("הקובץ שהועלה כבר לא זמין. העלו אותו שוב.")) from None
    plan = importing.ImportPlan.from_json(plan_json)
    try:
        outcome = importing.run_import(actor, table, plan, progress=progress)
    except importing.ImportFailed as error:
        raise JobError(error.message) from error
    transfer.discard_upload(stored)
    # No file to download: the result is the message ("נוצרו 250 אנשי קשר…").
    return JobResult(file_key=None, file_name=None, expires_in_hours=None, message=outcome.message)
