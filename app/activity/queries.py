"""Reading the activity log: the studio feed with filters, and one entity's history."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.activity.models import ActivityLog
from app.extensions import db

PAGE_SIZE = 25


@dataclass
class FeedFilters:
    user_id: str | None = None
    entity_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    only_user_id: object = None  # members see only their own actions

    def apply(self, statement, tz):
        if self.only_user_id is not None:
            statement = statement.where(ActivityLog.user_id == self.only_user_id)
        if self.user_id:
            statement = statement.where(ActivityLog.user_id == self.user_id)
        if self.entity_type:
            statement = statement.where(ActivityLog.entity_type == self.entity_type)
        if self.date_from:
            start = datetime.combine(self.date_from, time.min, tzinfo=tz)
            statement = statement.where(ActivityLog.timestamp >= start)
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=tz)
            statement = statement.where(ActivityLog.timestamp < end)
        return statement


def feed(filters: FeedFilters, tz, page: int = 1, per_page: int = PAGE_SIZE):
    statement = filters.apply(
        select(ActivityLog).options(selectinload(ActivityLog.user)), tz
    ).order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def for_entity(entity_type: str, entity_id: str, limit: int = 20) -> list[ActivityLog]:
    return list(
        db.session.scalars(
            select(ActivityLog)
            .options(selectinload(ActivityLog.user))
            .where(ActivityLog.entity_type == entity_type, ActivityLog.entity_id == entity_id)
            .order_by(ActivityLog.timestamp.desc())
            .limit(limit)
        )
    )
