"""The templates pages (/projects/templates): the list with usage, a template's detail, editing
(built-ins: on/off only), deleting, the code prefix, and "save as template" from a project;
who may do what, and two studios."""

import pytest
from sqlalchemy import select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import services, templates
from app.projects.models import ProjectSequence, ProjectTemplate
from tests.conftest import login, post_form
from tests.projects.conftest import EMAILS, HX, ROLES, make_project, membership

APARTMENT = "עיצוב דירה - סטנדרטי"


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


def page_text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def built_in(studio, name=APARTMENT):
    with tenant_scope(studio.id):
        template = next(t for t in templates.templates(active_only=False) if t.name == name)
        db.session.commit()
        return template.id


def custom_template(studio, name="התבנית שלנו"):
    """A template saved from a project made from the apartment template."""
    with tenant_scope(studio.id):
        actor = membership(studio)
        apartment = next(t for t in templates.templates() if t.name == APARTMENT)
        project = templates.create_from_template(
            actor, apartment, {"name": "מקור", "start_date": "2026-01-01"}
        )
        template = templates.save_as_template(actor, project, name)
        db.session.commit()
        return template.id


def test_list_shows_built_ins_with_counts_and_usage(make_client, studio):
    owner = signed_in(make_client, "owner@a.test")
    html = page_text(owner, "/projects/templates")
    for name in (APARTMENT, "עיצוב וילה", "עיצוב משרד"):
        assert name in html
    assert "מובנית" in html and "6 חדרים" in html and "11 משימות" in html and "4 תשלומים" in html
    assert "עוד לא נעשה בה שימוש" in html and "מספור פרויקטים" in html
    custom_template(studio)
    html = page_text(owner, "/projects/templates")
    assert "שימשה פעם אחת" in html and "התבנית שלנו" in html
    assert "/projects?new=1&amp;template=" in html


def test_detail_shows_tasks_dependencies_checklists_and_payments(make_client, studio):
    template_id = built_in(studio)
    html = page_text(signed_in(make_client, EMAILS["member"]), f"/projects/templates/{template_id}")
    assert "פגישת היכרות" in html and "ייעוץ ראשוני" in html and "+75" in html
    assert "צ׳קליסט: 3 פריטים" in html and "נקודות חשמל ומים" in html
    assert "מקדמה" in html and "100%" in html and "חדר רחצה ילדים" in html
    assert "עריכת התבנית" not in html  # members view and use, they do not edit


def test_edit_custom_template_and_built_ins_only_switch_on_off(make_client, studio):
    owner = signed_in(make_client, "owner@a.test")
    template_id = custom_template(studio)
    url = f"/projects/templates/{template_id}"
    response = post_form(
        owner, url, {"name": "דירת 4 חדרים", "description": "לדירות", "is_active": "1"}, page=url
    )
    assert response.status_code == 302
    bad = post_form(owner, url, {"name": "x", "is_active": "1"}, page=url)
    assert bad.status_code == 422 and "יש להזין בין 2" in bad.get_data(as_text=True)
    apartment_id = built_in(studio)
    built_url = f"/projects/templates/{apartment_id}"
    post_form(owner, built_url, {"name": "שם אחר", "description": "אחר"}, page=built_url)
    with tenant_scope(studio.id):
        custom = db.session.get(ProjectTemplate, template_id)
        apartment = db.session.get(ProjectTemplate, apartment_id)
        assert (custom.name, custom.description) == ("דירת 4 חדרים", "לדירות")
        assert (apartment.name, apartment.is_active) == (APARTMENT, False)
    # A retired template is no longer offered in the create panel, and cannot be used.
    panel = owner.get("/projects/new", headers=HX).get_data(as_text=True)
    assert APARTMENT not in panel and "דירת 4 חדרים" in panel
    response = post_form(
        owner,
        "/projects/new",
        {"template_id": str(apartment_id), "name": "דירה", "start_date": "2026-01-01"},
        page="/projects",
        headers=HX,
    )
    assert response.status_code == 404


def test_delete_custom_template_but_not_a_built_in(make_client, studio):
    manager = signed_in(make_client, EMAILS["manager"])
    template_id = custom_template(studio)
    url = f"/projects/templates/{template_id}"
    assert "מחיקת התבנית" in page_text(manager, url)
    response = post_form(manager, f"{url}/delete", page=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/projects/templates"
    )
    apartment_id = built_in(studio)
    response = post_form(manager, f"/projects/templates/{apartment_id}/delete", page=url)
    assert response.status_code == 302
    with tenant_scope(studio.id):
        assert db.session.get(ProjectTemplate, template_id) is None
        assert db.session.get(ProjectTemplate, apartment_id) is not None


def test_code_prefix_is_set_on_the_templates_page(make_client, studio):
    owner = signed_in(make_client, "owner@a.test")
    response = post_form(
        owner,
        "/projects/templates/code-prefix",
        {"prefix": "ors"},
        page="/projects/templates",
        headers=HX,
    )
    assert response.status_code == 200 and 'value="ORS"' in response.get_data(as_text=True)
    bad = post_form(
        owner,
        "/projects/templates/code-prefix",
        {"prefix": "12"},
        page="/projects/templates",
        headers=HX,
    )
    assert bad.status_code == 422 and "קידומת של 1–6 אותיות" in bad.get_data(as_text=True)
    with tenant_scope(studio.id):
        assert db.session.scalar(select(ProjectSequence.prefix)) == "ORS"
        assert make_project(membership(studio)).code == "ORS-001"
        db.session.commit()
    assert "ORS-002" in owner.get("/projects/new", headers=HX).get_data(as_text=True)
    manager = signed_in(make_client, EMAILS["manager"])  # no can_manage_settings
    assert "מספור פרויקטים" not in page_text(manager, "/projects/templates")
    response = post_form(
        manager, "/projects/templates/code-prefix", {"prefix": "XX"}, page="/projects"
    )
    assert response.status_code == 403


def test_save_a_project_as_a_template(make_client, studio, other_studio):
    with tenant_scope(studio.id):
        actor = membership(studio)
        apartment = next(t for t in templates.templates() if t.name == APARTMENT)
        project = templates.create_from_template(
            actor, apartment, {"name": "דירה שהצליחה", "start_date": "2026-01-01"}
        )
        project_id = project.id
        db.session.commit()
    owner = signed_in(make_client, "owner@a.test")
    url = f"/projects/{project_id}/save-as-template"
    response = post_form(owner, url, {"name": "דירה כמו שאנחנו אוהבים"}, page="/projects")
    assert response.status_code == 302 and "/projects/templates/" in response.headers["Location"]
    with tenant_scope(studio.id):
        saved = db.session.scalar(
            select(ProjectTemplate).where(ProjectTemplate.name == "דירה כמו שאנחנו אוהבים")
        )
        assert len(saved.rooms) == 6 and len(saved.tasks) == 11 and not saved.is_built_in
    htmx = post_form(owner, url, {"name": "שוב"}, page="/projects", headers=HX)
    assert htmx.status_code == 200 and "/projects/templates/" in htmx.headers["HX-Redirect"]
    bad = post_form(owner, url, {"name": "x"}, page="/projects", headers=HX)
    assert bad.status_code == 400 and "יש להזין בין 2" in bad.headers["HX-Trigger"].encode().decode(
        "unicode_escape"
    )
    member = signed_in(make_client, EMAILS["member"])
    assert post_form(member, url, {"name": "של חבר צוות"}, page="/projects").status_code == 404
    with tenant_scope(studio.id):
        services.set_team(
            actor, db.session.get(type(project), project_id), [membership(studio, "member").user_id]
        )
        db.session.commit()
    assert post_form(member, url, {"name": "של חבר צוות"}, page="/projects").status_code == 403
    stranger = signed_in(make_client, "owner@b.test")
    assert post_form(stranger, url, {"name": "גניבה"}, page="/projects").status_code == 404


# ---- role matrix and isolation ----------------------------------------------------------------


def shared_view(studio):
    """A saved view of the projects list, made by the owner and shared with the studio."""
    from app.saved_views import services as saved_views

    with tenant_scope(studio.id):
        view = saved_views.save_view(membership(studio), "projects", "משותפת", "q=x", shared=True)
        db.session.commit()
        return view.id


# (method, url template, expected status per role: owner, manager, member)
MATRIX = [
    ("get", "/projects", (200, 200, 200)),
    ("get", "/projects?view=cards", (200, 200, 200)),
    ("get", "/projects/new", (200, 200, 403)),
    ("post", "/projects/new", (422, 422, 403)),
    ("post", "/projects/bulk", (302, 302, 302)),
    ("post", "/projects/bulk/undo", (200, 200, 200)),
    ("post", "/projects/views", (302, 302, 302)),
    ("post", "/projects/views/{view}/delete", (302, 302, 403)),
    ("get", "/projects/templates", (200, 200, 200)),
    ("get", "/projects/templates/{template}", (200, 200, 200)),
    ("post", "/projects/templates/{template}", (302, 302, 403)),
    ("post", "/projects/templates/{custom}/delete", (302, 302, 403)),
    ("post", "/projects/templates/code-prefix", (302, 403, 403)),
    ("post", "/projects/{project}/save-as-template", (302, 302, 404)),
]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_role_matrix(make_client, studio, role_index, role):
    template_id = built_in(studio)
    with tenant_scope(studio.id):
        project_id = make_project(membership(studio), name="פרויקט בדיקה").id
        db.session.commit()
    client = signed_in(make_client, EMAILS[role])
    for method, pattern, statuses in MATRIX:
        custom_id = (
            custom_template(studio, f"תבנית {pattern[-12:]}") if "{custom}" in pattern else None
        )
        view_id = shared_view(studio) if "{view}" in pattern else None
        url = pattern.format(
            template=template_id, custom=custom_id, project=project_id, view=view_id
        )
        if method == "get":
            status = client.get(url).status_code
        else:
            data = {
                "name": "תבנית חדשה",
                "is_active": "1",
                "prefix": "ABC",
                "query": "q=1",
                "token": "",
            }
            if url == "/projects/new":
                data = {"name": "x"}
            status = post_form(client, url, data, page="/projects").status_code
        assert status == statuses[role_index], (role, method, url, status)


def test_another_studio_gets_404_for_templates(make_client, studio, other_studio):
    template_id = built_in(studio)
    custom_id = custom_template(studio)
    stranger = signed_in(make_client, "owner@b.test")
    page_text(stranger, f"/projects/templates/{template_id}", status=404)
    assert "התבנית שלנו" not in page_text(stranger, "/projects/templates")
    for url in (f"/projects/templates/{custom_id}", f"/projects/templates/{custom_id}/delete"):
        response = post_form(stranger, url, {"name": "שלי", "is_active": "1"}, page="/projects")
        assert response.status_code == 404
    with tenant_scope(studio.id):
        assert db.session.get(ProjectTemplate, custom_id).name == "התבנית שלנו"
    view_id = shared_view(studio)
    response = post_form(stranger, f"/projects/views/{view_id}/delete", page="/projects")
    assert response.status_code == 404
