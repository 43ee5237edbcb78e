"""Glue between service errors and WTForms fields."""

from app.auth.errors import PasswordRejected
from app.core.errors import ValidationFailed


def apply_service_errors(form, error) -> None:
    """Show a service's validation errors next to the matching fields (or above the form)."""
    if isinstance(error, PasswordRejected):
        errors = {"password": error.problems}
    elif isinstance(error, ValidationFailed):
        errors = error.errors
    else:
        errors = {"": [str(error)]}
    for name, messages in errors.items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + list(messages)
        else:
            form.form_errors.extend(messages)


def run_service(form, action):
    """Call a service for a submitted form: `(True, result)`, or on invalid input `(False,
    None)` with the session rolled back and the errors shown next to the form's fields.

        ok, entry = run_service(form, lambda: create_entry(g.membership, **values))
        if ok:
            db.session.commit()
            ...
    """
    from app.extensions import db

    try:
        return True, action()
    except (ValidationFailed, PasswordRejected) as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return False, None
