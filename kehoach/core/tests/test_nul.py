"""A NUL character cannot be stored (PostgreSQL refuses it): refused with a 400 wherever it
comes in, and nothing is written."""

import json

from kehoach.activities.models import Activity
from kehoach.core.testing import client_for


def test_a_nul_in_a_query_string_is_a_400_not_a_server_error(world):
    client = client_for(world.secretary)
    assert client.get("/hoat-dong/?channel=a%00b").status_code == 400
    response = client.get("/api/v1/activities?channel=%00")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_a_nul_in_a_form_or_json_body_writes_nothing(world):
    client = client_for(world.secretary)
    before = Activity.objects.count()
    assert client.post("/hoat-dong/them/", {"description": "a\x00b"}).status_code == 400
    response = client.post(
        "/api/v1/activities",
        json.dumps({"unit_id": world.cell1.pk, "channel": "meeting", "description": "x\u0000"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Activity.objects.count() == before


def test_ordinary_vietnamese_text_passes(world):
    response = client_for(world.secretary).get("/hoat-dong/?q=%C4%90%E1%BA%A3ng")
    assert response.status_code == 200
