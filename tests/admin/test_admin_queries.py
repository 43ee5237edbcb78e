"""List pages cost the same number of queries whatever their length (no N+1)."""

from tests.conftest import login
from tests.factories import add_member, make_studio, make_user


def _queries_for(client, count_queries, path):
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_admin_page_queries_do_not_grow_with_tenants(client, ctx, count_queries):
    make_user("admin@x.test", is_platform_admin=True)
    login(client, "admin@x.test")
    make_studio(name="סטודיו 1", email="o1@a.test")
    few = _queries_for(client, count_queries, "/admin/")
    for n in range(2, 8):
        tenant, _ = make_studio(name=f"סטודיו {n}", email=f"o{n}@a.test")
        add_member(tenant, f"m{n}@a.test")
    assert _queries_for(client, count_queries, "/admin/") == few


def test_team_page_queries_do_not_grow_with_members(client, ctx, count_queries):
    tenant, _ = make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    add_member(tenant, "m1@a.test")
    few = _queries_for(client, count_queries, "/settings/users")
    for n in range(2, 9):
        add_member(tenant, f"m{n}@a.test")
    assert _queries_for(client, count_queries, "/settings/users") == few
