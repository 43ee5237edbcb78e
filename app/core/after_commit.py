"""Side effects that must only happen once the data they describe is committed.

Services call `after_commit(fn)`; the callables run after the session commits and are
dropped on rollback, so an e-mail never announces something that was rolled back.
"""

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "after_commit_callbacks"


def after_commit(callback: Callable[[], None], session: Session | None = None) -> None:
    if session is None:
        from app.extensions import db

        session = db.session()
    session.info.setdefault(_KEY, []).append(callback)


def install(session_class=Session) -> None:
    @event.listens_for(session_class, "after_commit")
    def _run(session):
        callbacks = session.info.pop(_KEY, [])
        for callback in callbacks:
            try:
                callback()
            except Exception:  # one failing side effect must not hide the others
                log.exception("after-commit callback failed")

    @event.listens_for(session_class, "after_soft_rollback")
    def _drop(session, previous_transaction):
        if not session.in_transaction():
            session.info.pop(_KEY, None)
