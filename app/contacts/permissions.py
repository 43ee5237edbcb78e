"""Who may do what with contacts.

Every member of the studio sees and edits the address book (designers log calls and add leads).
Archiving, restoring and deleting need the "delete records" flag (owners and managers have it
by role); importing and exporting the address book are for owners and managers; suppliers'
commercial terms follow the financial flags (see `fields.visible_specs`).
"""

from app.core.errors import PermissionDenied


def can_edit(membership) -> bool:
    return membership is not None


def can_archive(membership) -> bool:
    return membership is not None and (
        membership.role in ("owner", "manager") or membership.has("can_delete_records")
    )


def can_delete(membership) -> bool:
    return membership is not None and membership.has("can_delete_records")


def can_transfer(membership) -> bool:
    """Import and export the address book."""
    return membership is not None and membership.role in ("owner", "manager")


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message)
