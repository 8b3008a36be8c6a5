"""A creating form sent twice (a second tap on "Lưu", a browser resending it) creates one
record; the second answer says why in Vietnamese and writes nothing, even when the two
requests race."""

import re
import threading

import pytest
from django.test import Client
from django.utils import translation

from kehoach.activities.models import Activity
from kehoach.activities.tests.test_activity_views import entry_data
from kehoach.audit.models import AuditEntry
from kehoach.core.once import claim, new_token
from kehoach.core.testing import client_for
from kehoach.feedback.models import Concern
from kehoach.feedback.tests.test_public import data as concern_data
from kehoach.feedback.tests.test_public import form_url
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import stage

pytestmark = pytest.mark.django_db


def token_of(html: str) -> str:
    return re.search(r'name="_once" value="([^"]+)"', html).group(1)


def test_an_activity_form_sent_twice_saves_one_activity(world):
    plan = plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )
    client = client_for(world.secretary)
    token = token_of(client.get("/hoat-dong/them/").content.decode())
    data = {**entry_data(world, plan), "_once": token}
    first = client.post("/hoat-dong/them/", data)
    assert first.status_code == 302 and Activity.objects.count() == 1
    audit = AuditEntry.objects.count()
    with translation.override("vi"):
        second = client.post("/hoat-dong/them/", data, follow=True)
    assert Activity.objects.count() == 1 and AuditEntry.objects.count() == audit
    assert "đã được gửi" in second.content.decode()
    # A form opened afresh carries a new token and saves again.
    token = token_of(client.get("/hoat-dong/them/").content.decode())
    client.post("/hoat-dong/them/", {**data, "_once": token})
    assert Activity.objects.count() == 2


def test_a_residents_concern_sent_twice_is_recorded_once(world):
    client = Client()
    token = token_of(client.get(form_url(world)).content.decode())
    client.post(form_url(world), {**concern_data(), "_once": token})
    client.post(form_url(world), {**concern_data(), "_once": token})
    assert Concern.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["/hoat-dong/them/", "/y-kien/ghi-nhan/", "/dien-hinh/de-cu/", "/noi-dung/them/"]
)
def test_every_creating_form_carries_its_token(world, url):
    assert 'name="_once"' in client_for(world.secretary).get(url).content.decode()


def test_two_racing_claims_of_one_token_let_one_through():
    token = new_token()
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(claim(token))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
