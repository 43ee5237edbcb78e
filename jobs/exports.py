"""“Export all my studio's data”: a ZIP with one CSV and one JSON per tenant table, the
studio's own row, its people (name and e-mail only) and every uploaded file."""

import csv
import io
import json
import re
import tempfile
import uuid
import zipfile
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.db import TenantScoped, utcnow
from app.core.tenancy import current_tenant_id
from app.extensions import db
from app.files.storage import get_storage, tenant_key
from app.jobs.services import JobError, JobResult

# Columns that never leave the database, whatever table they are in.
SECRET_COLUMN = re.compile(r"(password|secret|token|_hash$|backup_code|totp|error_detail)")
USER_COLUMNS = ("id", "first_name", "last_name", "email")
TENANT_SECRET_COLUMNS = set()


def tenant_models() -> list[type]:
    """Every mapped model owned by a tenant, in table-name order."""
    models = {
        mapper.class_
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped) and mapper.local_table is not None
    }
    return sorted(models, key=lambda model: model.__tablename__)


def _plain(value):
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _cell(value):
    value = _plain(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _write_table(archive: zipfile.ZipFile, name: str, columns: list[str], rows: list[dict]):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    # BOM so Excel opens Hebrew CSV correctly.
    archive.writestr(f"csv/{name}.csv", "\ufeff" + text.getvalue())
    archive.writestr(
        f"json/{name}.json",
        json.dumps(
            [{c: _plain(row[c]) for c in columns} for row in rows], ensure_ascii=False, indent=1
        ),
    )


def _model_rows(model, tenant_id) -> tuple[list[str], list[dict]]:
    attrs = [a for a in db.inspect(model).column_attrs if not SECRET_COLUMN.search(a.key)]
    columns = [a.key for a in attrs]
    # ORM attributes, so the tenant filter applies; the explicit where is belt and braces.
    query = (
        select(*[getattr(model, key) for key in columns])
        .where(model.tenant_id == tenant_id)
        .order_by(*[getattr(model, c.key) for c in db.inspect(model).primary_key])
    )
    return columns, [dict(zip(columns, row, strict=True)) for row in db.session.execute(query)]


def export_tenant_data(*, progress) -> JobResult:
    from app.auth.models import User
    from app.files.models import StoredFile
    from app.tenants.models import Membership, Tenant

    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise JobError(_("לא נמצא סטודיו לייצוא."))
    tenant = db.session.get(Tenant, tenant_id)
    models = tenant_models()
    steps = len(models) + 3
    storage = get_storage()
    manifest = {"studio": tenant.name, "exported_at": utcnow().isoformat(), "tables": {}}

    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            tenant_columns = [
                a.key for a in db.inspect(Tenant).column_attrs if not SECRET_COLUMN.search(a.key)
            ]
            _write_table(
                archive,
                "tenants",
                tenant_columns,
                [{c: getattr(tenant, c) for c in tenant_columns}],
            )
            manifest["tables"]["tenants"] = 1
            progress(100 // steps, _("מייצא את פרטי הסטודיו"))

            users = db.session.execute(
                select(*[getattr(User, c) for c in USER_COLUMNS])
                # Explicit tenant filter: the automatic one does not reach subqueries.
                .where(
                    User.id.in_(select(Membership.user_id).where(Membership.tenant_id == tenant_id))
                )
                .order_by(User.email)
            ).all()
            _write_table(
                archive,
                "users",
                list(USER_COLUMNS),
                [dict(zip(USER_COLUMNS, u, strict=True)) for u in users],
            )
            manifest["tables"]["users"] = len(users)
            progress(200 // steps, _("מייצא את אנשי הצוות"))

            for index, model in enumerate(models, start=3):
                columns, rows = _model_rows(model, tenant_id)
                _write_table(archive, model.__tablename__, columns, rows)
                manifest["tables"][model.__tablename__] = len(rows)
                progress(
                    index * 100 // steps,
                    _(
                        "מייצא את הטבלה %(table)s (%(count)d שורות)",
                        table=model.__tablename__,
                        count=len(rows),
                    ),
                )

            files = db.session.scalars(select(StoredFile).order_by(StoredFile.created_at)).all()
            for stored in files:
                safe_name = re.sub(r"[/\\:*?\"<>|]", "_", stored.original_name)
                try:
                    with (
                        storage.open(stored.key) as source,
                        archive.open(f"files/{stored.id}-{safe_name}", "w") as target,
                    ):
                        while chunk := source.read(1024 * 1024):
                            target.write(chunk)
                except FileNotFoundError:
                    manifest.setdefault("missing_files", []).append(str(stored.id))
            manifest["files"] = len(files)
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        progress(99, _("שומר את קובץ הייצוא"))
        size = tmp.tell()
        tmp.seek(0)
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        key = tenant_key(tenant_id, "exports", f"studio-export-{stamp}-{uuid.uuid4().hex[:8]}.zip")
        storage.save(key, tmp, "application/zip")
    return JobResult(
        file_key=key,
        file_name=f"studio-export-{stamp}.zip",
        content_type="application/zip",
        size=size,
        expires_in_hours=24,
        message=_("הייצוא מוכן להורדה."),
    )
