"""Read side of custom fields: definitions of an entity type, and values for many entities."""

import uuid

from sqlalchemy import select

from app.custom_fields import types
from app.custom_fields.models import CustomFieldDefinition, CustomFieldValue
from app.extensions import db


def definitions(entity_type: str, *, active_only: bool = True, flag: str | None = None):
    """The studio's definitions for `entity_type` in display order.

    `flag`: only those shown in "list" / "card" / "portal" / "filter".
    """
    statement = select(CustomFieldDefinition).where(
        CustomFieldDefinition.entity_type == entity_type
    )
    if active_only:
        statement = statement.where(CustomFieldDefinition.is_active.is_(True))
    if flag:
        statement = statement.where(getattr(CustomFieldDefinition, f"show_in_{flag}").is_(True))
    return list(
        db.session.scalars(
            statement.order_by(CustomFieldDefinition.order, CustomFieldDefinition.created_at)
        )
    )


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def stored_values(entity_type: str, entity_id) -> dict[uuid.UUID, CustomFieldValue]:
    """{definition id: value row} for one entity."""
    rows = db.session.scalars(
        select(CustomFieldValue).where(
            CustomFieldValue.entity_type == entity_type,
            CustomFieldValue.entity_id == _uuid(entity_id),
        )
    )
    return {row.field_id: row for row in rows}


def values_for(entity_type: str, ids, *, tz=None, defs=None) -> dict:
    """{entity id: {field_key: parsed value}} for many entities in one query (two without
    `defs`). Every id is present; fields without a value are left out of its dict."""
    ids = [_uuid(i) for i in ids]
    result = {i: {} for i in ids}
    if not ids:
        return result
    by_id = {d.id: d for d in (defs if defs is not None else definitions(entity_type))}
    if not by_id:
        return result
    rows = db.session.execute(
        select(CustomFieldValue.entity_id, CustomFieldValue.field_id, CustomFieldValue.value).where(
            CustomFieldValue.entity_type == entity_type,
            CustomFieldValue.entity_id.in_(ids),
            CustomFieldValue.field_id.in_(list(by_id)),
        )
    )
    for entity_id, field_id, value in rows:
        definition = by_id[field_id]
        result[entity_id][definition.field_key] = types.parse_stored(definition, value, tz)
    return result


def usage_counts(entity_type: str) -> dict[uuid.UUID, int]:
    """{definition id: number of stored values}, for the settings list."""
    from sqlalchemy import func

    rows = db.session.execute(
        select(CustomFieldValue.field_id, func.count(CustomFieldValue.id))
        .where(CustomFieldValue.entity_type == entity_type)
        .group_by(CustomFieldValue.field_id)
    )
    return dict(rows.all())
