import json

from flask import Response

from app.core.render import with_toast


def test_toast_header_carries_hebrew_safely(ctx):
    response = with_toast(Response("ok"), "נשמר בהצלחה")
    header = response.headers["HX-Trigger"]
    header.encode("latin-1")  # a header Werkzeug can send
    assert json.loads(header) == {"toast": {"message": "נשמר בהצלחה", "level": "success"}}
