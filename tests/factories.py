"""Build tenants and people through the real services, as sign-up and invitations do."""

from app.auth.models import User
from app.auth.services import set_password
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import ROLE_DEFAULT_PERMISSIONS, Membership
from app.tenants.services import create_studio
from tests.conftest import PASSWORD


def make_studio(name="סטודיו בדיקה", email="owner@a.test", first_name="נועה", password=PASSWORD):
    tenant, owner = create_studio(
        studio_name=name, first_name=first_name, last_name="לוי", email=email, password=password
    )
    db.session.commit()
    return tenant, owner


def make_user(email, first_name="דנה", password=PASSWORD, **fields) -> User:
    user = User(email=email, first_name=first_name, last_name="כהן", **fields)
    set_password(user, password, check_history=False)
    db.session.add(user)
    db.session.commit()
    return user


def add_member(tenant, email, role="member", **flags) -> Membership:
    user = db.session.query(User).filter_by(email=email).one_or_none() or make_user(email)
    with tenant_scope(tenant.id):
        membership = Membership(
            tenant_id=tenant.id,
            user_id=user.id,
            role=role,
            **(ROLE_DEFAULT_PERMISSIONS[role] | flags),
        )
        db.session.add(membership)
        db.session.commit()
    return membership
