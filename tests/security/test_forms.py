"""Bad input on every form of the site: each POST form a persona is shown is sent back with
one field spoiled at a time — an oversized text, a wrong type, a date out of range, the id
of another ward's record, a stale version. Every such submission is refused (never a
server error, never accepted) and writes nothing; the page says why in Vietnamese."""

from __future__ import annotations

import pytest
from django.utils import translation

from kehoach.core.testing import client_for
from tests.security.forms import Field, Form, filled, post_forms
from tests.security.records import build_records
from tests.security.test_matrix import snapshot
from tests.security.urls import WEB, kwargs_needed, web_routes, web_url

pytestmark = pytest.mark.django_db
# Longer than any narrative a ward writes, short of the request size limit: a field without
# a declared limit may take it but must not fail on it.
LONG = "Đ" * 300_000
# Forms that are not data entry: signing out, marking notifications read, the language.
SKIP_ACTIONS = ("/tai-khoan/dang-xuat/", "/thong-bao/", "/i18n/")


def spoiled(f: Field, other_ids: list[int], creating: bool) -> list[tuple[str, str]]:
    """(what, value) pairs that must be refused for this field."""
    if f.kind in ("text", "textarea", "email", "url", "tel", "search"):
        return [("over its limit", "Đ" * (f.maxlength + 1))] if f.maxlength else []
    if f.kind == "number":
        return [("not a number", "mười hai"), ("too large", "1" + "0" * 30), ("negative", "-5")]
    if f.kind == "date":
        return [
            ("no such day", "2026-02-30"),
            ("far future", "9999-12-31"),
            ("ancient", "0001-01-01"),
        ]
    if f.kind == "select" and any(o.isdigit() for o in f.options):
        # Ids of ward B's records that the page does not offer: whatever kind they are,
        # the form must not take an id it never showed.
        return [("another ward's id", str(i)) for i in other_ids if str(i) not in f.options]
    if (
        not creating
        and f.kind == "hidden"
        and f.name in ("version", "updated_at", "seen_updated_at")
    ):
        # A version that is not the record's: another person saved in between.
        return [("stale version", "999999" if f.name == "version" else "2000-01-01T00:00:00+00:00")]
    return []


def _forms_of(client, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    forms = []
    for form in post_forms(response.content.decode()):
        action = form.action or url
        if action.startswith(SKIP_ACTIONS) or not action.startswith("/"):
            continue
        form.action = action
        forms.append(form)
    return forms


@pytest.mark.parametrize("persona", ["coordinator", "head"])
def test_every_form_refuses_bad_input_and_writes_nothing(persona, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    records = build_records(world)
    user = records.personas[persona]
    client = client_for(user)
    b = records.b
    other_ids = sorted(
        {b.unit.pk, b.ward.pk, b.plan.pk, b.topic.pk, b.period.pk, b.task.pk, b.item.pk}
    )
    failures: list[str] = []
    tried = forms_seen = 0
    with translation.override("vi"):
        for route in web_routes():
            if kwargs_needed(route) and route.name not in WEB:
                continue
            url = web_url(route, records.a, records)
            for form in _forms_of(client, url):
                forms_seen += 1
                base = filled(form)
                creating = not kwargs_needed(route)
                for f in form.fields.values():
                    for what, value in spoiled(f, other_ids, creating):
                        data = {**base, f.name: value}
                        before = snapshot()
                        response = client.post(form.action, data)
                        tried += 1
                        label = f"{route.name} {form.action} {f.name}={what}"
                        code = response.status_code
                        if code >= 500:
                            failures.append(f"{label}: {code}")
                        elif code in (301, 302, 303) and snapshot() != before:
                            failures.append(f"{label}: accepted and written")
                        elif snapshot() != before:
                            failures.append(f"{label}: refused ({code}) but wrote something")
                    if f.kind in ("text", "textarea") and not f.maxlength:
                        response = client.post(form.action, {**base, f.name: LONG})
                        tried += 1
                        if response.status_code >= 500:
                            failures.append(f"{route.name} {f.name}=long: {response.status_code}")
    # Text without a declared limit: long, yet never a server error.
    print(f"{persona}: {forms_seen} forms, {tried} spoiled submissions")
    assert tried > 50
    assert not failures, f"{len(failures)} of {tried}:\n" + "\n".join(failures)
