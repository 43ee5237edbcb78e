"""Demo data for `flask seed-demo`: two Hebrew studios and a user for every role.

Idempotent: it creates what is missing and leaves the rest. Later modules add their demo
data here so the demo always shows every module.
"""

from sqlalchemy import select

from app.activity.services import record_activity
from app.auth.models import User
from app.auth.services import find_user_by_email, set_password
from app.core.tenancy import tenant_scope
from app.demo_contacts import seed_contacts
from app.demo_projects import seed_projects
from app.extensions import db
from app.tenants.models import ROLE_DEFAULT_PERMISSIONS, Membership, Tenant
from app.tenants.services import create_studio

DEMO_PASSWORD = "Demo-Pass-2026"

STUDIOS = (
    {
        "slug": "demo-studio-1",
        "name": "סטודיו אור ועיצוב",
        "owner": ("owner@example.com", "נועה", "לוי"),
        "team": (
            ("manager@example.com", "דניאל", "כהן", "manager"),
            ("member@example.com", "מיכל", "ברק", "member"),
        ),
    },
    {
        "slug": "demo-studio-2",
        "name": "אדריכלות קו ישר",
        "owner": ("owner2@example.com", "יואב", "מזרחי"),
        "team": (),
    },
)


def _user(email, first, last) -> User:
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        set_password(user, DEMO_PASSWORD, check_history=False)
        db.session.add(user)
        db.session.flush()
    return user


def seed_demo() -> bool:
    created = False
    for studio in STUDIOS:
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == studio["slug"]))
        if tenant is None:
            email, first, last = studio["owner"]
            tenant, _owner = create_studio(
                studio_name=studio["name"],
                first_name=first,
                last_name=last,
                email=email,
                password=DEMO_PASSWORD,
                business_type="interior_design",
            )
            tenant.slug = studio["slug"]
            created = True
        with tenant_scope(tenant.id):
            for email, first, last, role in studio["team"]:
                user = _user(email, first, last)
                exists = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
                if exists is None:
                    membership = Membership(
                        user_id=user.id, role=role, **ROLE_DEFAULT_PERMISSIONS[role]
                    )
                    db.session.add(membership)
                    db.session.flush()
                    owner = db.session.scalar(select(Membership).where(Membership.role == "owner"))
                    record_activity(owner, "created", membership)
                    created = True
            if studio["slug"] == "demo-studio-1":
                created = seed_contacts(tenant) or created
                created = seed_projects(tenant) or created
    admin = find_user_by_email("admin@example.com")
    if admin is None:
        admin = _user("admin@example.com", "מנהלת", "מערכת")
        admin.is_platform_admin = True
        created = True
    db.session.commit()
    return created
