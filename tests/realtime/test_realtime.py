"""Realtime across processes: a change in one web process reaches a websocket of another."""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from simple_websocket import Client, ConnectionClosed

from app.audit.services import RequestInfo
from app.auth.services import start_session
from app.extensions import db
from tests.factories import add_member, make_studio

REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (make test)")


class WebProcess:
    def __init__(self, app):
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.realtime.serve",
                app.config["SQLALCHEMY_DATABASE_URI"],
                REDIS_URL,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.port = int(self.proc.stdout.readline())
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def two_web_processes(app):
    processes = [WebProcess(app), WebProcess(app)]
    yield processes
    for process in processes:
        process.stop()


def signed_cookie(app, email: str) -> str:
    """A browser session for `email`, as the login page would set it."""
    from app.auth.models import User

    user = db.session.query(User).filter_by(email=email).one()
    started = start_session(user, RequestInfo(ip="127.0.0.1"))
    db.session.commit()
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": started.token, "_fresh": True})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


class Browser:
    """Just enough of a browser for a form POST with CSRF, over real HTTP."""

    def __init__(self, base: str, cookie: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("Cookie", cookie)]
        self.cookie = cookie

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, page: str) -> int:
        html = self.get(page)
        token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
        # the GET may have rotated the session cookie: carry the newest one
        for cookie in self.jar:
            self.opener.addheaders = [("Cookie", f"{cookie.name}={cookie.value}")]
        body = urllib.parse.urlencode({"csrf_token": token, **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        with self.opener.open(request) as response:
            return response.status


@needs_redis
def test_change_in_one_process_reaches_a_socket_of_another(app, ctx, two_web_processes):
    listener, actor = two_web_processes
    tenant, _owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    member = add_member(tenant, "member@a.test", "member")
    add_member(tenant, "manager@a.test", "manager")

    manager_cookie = signed_cookie(app, "manager@a.test")
    socket = Client.connect(
        f"ws://127.0.0.1:{listener.port}/ws?topics=team&page=/settings/users",
        headers={"Cookie": manager_cookie},
    )
    try:
        assert json.loads(socket.receive(timeout=5))["type"] == "hello"
        owner = Browser(actor.base, signed_cookie(app, "owner@a.test"))
        started = time.monotonic()
        status = owner.post(
            f"/settings/users/{member.id}",
            {"role": "manager", "can_view_financials": "y"},
            page=f"/settings/users/{member.id}",
        )
        assert status == 200  # followed the redirect back to the team page
        while True:
            message = json.loads(socket.receive(timeout=5))
            if message["type"] != "presence":
                break
        latency = time.monotonic() - started
        assert message["topic"] == "team" and message["type"] == "entity_updated"
        assert latency < 5
    finally:
        socket.close()


@needs_redis
def test_sockets_never_hear_other_studios(app, ctx, two_web_processes):
    listener, actor = two_web_processes
    tenant_a, _ = make_studio(name="אלף", email="owner@a.test")
    tenant_b, _ = make_studio(name="בית", email="owner@b.test")
    member_b = add_member(tenant_b, "member@b.test", "member")
    socket = Client.connect(
        f"ws://127.0.0.1:{listener.port}/ws?topics=team",
        headers={"Cookie": signed_cookie(app, "owner@a.test")},
    )
    try:
        socket.receive(timeout=5)  # hello
        Browser(actor.base, signed_cookie(app, "owner@b.test")).post(
            f"/settings/users/{member_b.id}", {"role": "manager"}, page="/settings/users"
        )
        heard = []
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            message = socket.receive(timeout=0.5)
            if message is not None:
                heard.append(json.loads(message)["type"])
        assert [kind for kind in heard if kind != "presence"] == []
    finally:
        socket.close()


@needs_redis
def test_presence_lists_who_else_is_on_the_page(app, ctx, two_web_processes):
    first, second = two_web_processes
    tenant, _ = make_studio(name="אלף", email="owner@a.test", first_name="נועה")
    add_member(tenant, "manager@a.test", "manager")
    url = "/ws?topics=team&page=/settings/users"
    owner = Client.connect(
        f"ws://127.0.0.1:{first.port}{url}", headers={"Cookie": signed_cookie(app, "owner@a.test")}
    )
    try:
        manager = Client.connect(
            f"ws://127.0.0.1:{second.port}{url}",
            headers={"Cookie": signed_cookie(app, "manager@a.test")},
        )
        deadline = time.monotonic() + 5
        names = set()
        while time.monotonic() < deadline and len(names) < 2:
            message = json.loads(owner.receive(timeout=5))
            if message["type"] == "presence":
                names = {u["name"] for u in message["users"]}
        assert any("נועה" in n for n in names) and len(names) == 2
        manager.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            message = json.loads(owner.receive(timeout=5))
            if message["type"] == "presence" and len(message["users"]) == 1:
                break
        else:
            pytest.fail("the manager did not leave the page's presence")
    finally:
        owner.close()


def test_websocket_refuses_strangers(app):
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        socket = Client.connect(f"ws://127.0.0.1:{server.server_port}/ws")
        with pytest.raises(ConnectionClosed):
            socket.receive(timeout=3)
            socket.receive(timeout=1)
    finally:
        server.shutdown()


def test_presence_counts_people_not_tabs():
    from app.realtime.presence import LocalPresence

    presence = LocalPresence()
    presence.touch("t:/page", "tab-1", "u1", "נועה")
    presence.touch("t:/page", "tab-2", "u1", "נועה")
    presence.touch("t:/page", "tab-3", "u2", "דניאל")
    assert [v["name"] for v in presence.viewers("t:/page")] == ["דניאל", "נועה"]
    presence.leave("t:/page", "tab-1")  # one of Noa's tabs closes: she is still here
    assert [v["user_id"] for v in presence.viewers("t:/page")] == ["u2", "u1"]
    presence.leave("t:/page", "tab-2")
    assert [v["user_id"] for v in presence.viewers("t:/page")] == ["u2"]
