"""The authorization matrix: every page and API operation, tried by every persona against a
record inside and a record outside their scope.

What must hold, for each (persona, URL, side):
- never a server error;
- anonymous: sent to sign in (401 on the API), except the public pages;
- a record outside the person's scope: 403 or 404 on GET and on POST, and nothing written;
- a viewer may read but every POST on a record is refused and writes nothing;
- a detail page of a record in scope answers 200;
- no body (pages, CSV and Excel exports, search, API lists) carries a marker of a record
  outside the person's scope.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from kehoach.audit.models import AuditEntry
from kehoach.core.testing import client_for
from kehoach.org import querysets as org_scope
from tests.security.records import MARK_B, MARK_CELL2, Records, build_records
from tests.security.urls import (
    API_PUBLIC,
    PUBLIC,
    SHARED,
    UNSCOPED_ARGS,
    WEB,
    api_operations,
    api_url,
    kwargs_needed,
    web_routes,
    web_url,
)

pytestmark = pytest.mark.django_db
MARK_A = "PHUONGA"
WARD_A = ("viewer", "officer", "head", "coordinator", "leader")
CELL_LEVEL = ("viewer", "officer", "head")
OUTSIDE_A = ("outsider", "other_coordinator")
PERSONAS = ("anonymous", *OUTSIDE_A, *WARD_A, "admin")
REFUSED = {403, 404}
# An API write with an empty body is refused for its body before the record is looked up:
# the same 422 whether the record exists or not, so it tells nothing.
API_REFUSED = REFUSED | {405, 422}
# Detail pages every ward-A persona with cell1 in scope reads.
DETAIL = {
    "activities:detail",
    "tasks:detail",
    "exemplars:detail",
    "feedback:detail",
    "content:detail",
    "indicators:detail",
    "org:detail",
    "plans:detail",
}
# Writes on one's own things that a viewer may do.
VIEWER_WRITES = {"notifications:read", "notifications:read_all", "accounts:logout"}
XLSX_LIKE = ("spreadsheetml", "wordprocessingml", "application/zip", "octet-stream")


def body_text(response) -> str:
    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(
                    archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".json"))
                )
        except zipfile.BadZipFile:
            pass
    return data.decode("utf-8", errors="ignore")


def forbidden_marks(persona: str) -> tuple[str, ...]:
    if persona in OUTSIDE_A:
        return (MARK_A, MARK_CELL2)
    if persona in CELL_LEVEL:
        return (MARK_B, MARK_CELL2)
    if persona in WARD_A:
        return (MARK_B,)
    return ()


_COUNTS_SQL: str | None = None


def snapshot() -> tuple:
    """Row counts of every table (the audit log among them) in one query: what a refused
    request must not move. Sessions and the task queue are left out."""
    global _COUNTS_SQL
    if _COUNTS_SQL is None:
        tables = sorted(
            {
                m._meta.db_table
                for m in apps.get_models()
                if m._meta.app_label not in ("sessions", "django_tasks_database", "admin")
                and m._meta.managed
            }
            | {AuditEntry._meta.db_table}
        )
        quote = connection.ops.quote_name
        _COUNTS_SQL = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL)
        return tuple(cursor.fetchone())


class Matrix:
    def __init__(self, records: Records, persona: str) -> None:
        self.records = records
        self.persona = persona
        self.user = records.personas[persona]
        self.client: Client = client_for(self.user)
        self.failures: list[str] = []
        self.tried = 0

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def call(self, method: str, url: str, data: dict | None = None):
        self.tried += 1
        send = getattr(self.client, method)
        if method in ("post", "put", "patch") and url.startswith("/api/"):
            return send(url, data or {}, content_type="application/json")
        if method == "post":
            return send(url, data or {})
        return send(url)

    def check_body(self, label: str, response) -> None:
        if response.status_code != 200:
            return
        text = body_text(response)
        for mark in forbidden_marks(self.persona):
            if mark in text:
                self.fail(f"{label}: shows {mark}")

    def check_status(self, label: str, response) -> None:
        if response.status_code >= 500:
            self.fail(f"{label}: {response.status_code}")

    def anonymous(self, label: str, response, public: bool, api: bool) -> None:
        if public:
            return
        code = response.status_code
        if api:
            if code not in (401, 403, 405):
                self.fail(f"{label}: anonymous got {code}")
        elif code == 302:
            if "/tai-khoan/dang-nhap/" not in response["Location"]:
                self.fail(f"{label}: anonymous sent to {response['Location']}")
        elif code not in (403, 405) and not (code == 401 and label.startswith("content:ical")):
            # A calendar feed asks a calendar program for its token (401), not for a page.
            self.fail(f"{label}: anonymous got {code}")

    def refused_everywhere(self, label: str, url: str, api_method: str | None = None) -> None:
        """A record outside the person's scope: refused, whatever the method; nothing written."""
        before = snapshot()
        methods = [api_method] if api_method else ["get", "post"]
        for method in methods:
            response = self.call(method, url)
            self.check_status(f"{method.upper()} {label}", response)
            allowed = API_REFUSED if api_method else REFUSED | {405}
            if response.status_code not in allowed:
                self.fail(f"{method.upper()} {label}: outside scope got {response.status_code}")
            self.check_body(f"{method.upper()} {label}", response)
        if snapshot() != before:
            self.fail(f"{label}: a refused request wrote something")


def _sides(records: Records, persona: str) -> Iterable[tuple[str, object, bool]]:
    """(label, side, is the side outside the persona's scope)."""
    yield "A", records.a, persona in OUTSIDE_A
    yield "B", records.b, persona in WARD_A


def run_web(m: Matrix) -> None:
    for route in web_routes():
        if kwargs_needed(route) and route.name not in WEB:
            m.fail(f"{route.name}: not classified in tests/security/urls.py")
            continue
        public = route.name in PUBLIC
        for side_label, side, outside in _sides(m.records, m.persona):
            url = web_url(route, side, m.records)
            label = f"{route.name} [{side_label}] {url}"
            if m.persona == "anonymous":
                response = m.call("get", url)
                m.check_status(label, response)
                m.anonymous(label, response, public, api=False)
                if response.status_code == 405:
                    before = snapshot()
                    response = m.call("post", url)
                    m.check_status("POST " + label, response)
                    m.anonymous("POST " + label, response, public, api=False)
                    if snapshot() != before:
                        m.fail(f"POST {label}: anonymous wrote something")
                continue
            scoped = (
                kwargs_needed(route)
                and route.name not in PUBLIC | SHARED | UNSCOPED_ARGS
                and not (route.name == "notifications:read" and side_label == "B")
            )
            if outside and scoped:
                m.refused_everywhere(label, url)
                continue
            if outside and route.name == "notifications:read":
                continue  # another person's notification: covered by the marker check
            response = m.call("get", url)
            m.check_status(label, response)
            if not public:  # a resident's private link shows their own concern by design
                m.check_body(label, response)
            if route.name in DETAIL and side_label == "A" and response.status_code != 200:
                m.fail(f"{label}: own record got {response.status_code}")
            if (
                m.persona == "viewer"
                and kwargs_needed(route)
                and scoped
                and route.name not in VIEWER_WRITES
            ):
                # Refused (403/404/405), or a page that ignores the POST or sends the form
                # back: whichever, nothing is written.
                before = snapshot()
                response = m.call("post", url)
                m.check_status("POST " + label, response)
                if snapshot() != before:
                    m.fail(f"POST {label}: a viewer wrote something")
            if not kwargs_needed(route) and response.status_code == 200:
                for fmt in ("csv", "xlsx"):
                    exported = m.call("get", f"{url}?xuat={fmt}")
                    m.check_status(f"{label}?xuat={fmt}", exported)
                    m.check_body(f"{label}?xuat={fmt}", exported)


def run_api(m: Matrix) -> None:
    for op in api_operations():
        public = (op.method, op.path) in API_PUBLIC
        for side_label, side, outside in _sides(m.records, m.persona):
            try:
                url = api_url(op, side)
            except KeyError as exc:
                m.fail(f"{op.method} {op.path}: argument {exc} not classified")
                break
            label = f"API {op.method.upper()} {url} [{side_label}]"
            if m.persona == "anonymous":
                before = snapshot()
                response = m.call(op.method, url)
                m.check_status(label, response)
                m.anonymous(label, response, public, api=True)
                if not public and snapshot() != before:
                    m.fail(f"{label}: anonymous wrote something")
                continue
            if outside and op.scoped and not public:
                m.refused_everywhere(label, url, api_method=op.method)
                continue
            if op.method != "get":
                if m.persona == "viewer" and op.scoped and not public:
                    # An empty change is answered with the record (a viewer reads it
                    # anyway); any other is refused. Whichever, nothing is written.
                    before = snapshot()
                    response = m.call(op.method, url)
                    m.check_status(label, response)
                    if response.status_code not in API_REFUSED | {200}:
                        m.fail(f"{label}: viewer got {response.status_code}")
                    if snapshot() != before:
                        m.fail(f"{label}: a viewer wrote something")
                continue
            response = m.call("get", url)
            m.check_status(label, response)
            m.check_body(label, response)


def run_extras(m: Matrix) -> None:
    """Search and the dashboard, asked directly for the other side's words."""
    # Lower case: the page repeats the query in its search box; a record would show the
    # marker in capitals.
    for query in (MARK_A.lower(), MARK_B.lower(), MARK_CELL2.lower(), "bimat"):
        for url in (f"/tim-kiem/?q={query}", f"/api/v1/search?q={query}"):
            response = m.call("get", url)
            m.check_status(url, response)
            m.check_body(url, response)
    for url in ("/tong-quan/", "/tong-quan/excel/", "/api/v1/dashboard"):
        response = m.call("get", url)
        m.check_status(url, response)
        m.check_body(url, response)


# A scope is read as unit ids up to org.querysets.SCOPE_IDS_UP_TO units and beyond (a city's
# coordinator) by the units' paths: the matrix runs both ways.
@pytest.mark.parametrize("scope_by", ["ids", "paths"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_and_operation_answers_as_expected_for(
    persona, scope_by, world, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    if scope_by == "paths":
        monkeypatch.setattr(org_scope, "SCOPE_IDS_UP_TO", 0)
    records = build_records(world)
    m = Matrix(records, persona)
    run_web(m)
    run_api(m)
    run_extras(m)
    print(f"{persona}: {m.tried} requests")
    assert not m.failures, f"{len(m.failures)} of {m.tried} failed:\n" + "\n".join(m.failures)
