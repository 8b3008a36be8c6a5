"""Helpers for the list-export tests of every app: download, read back, count queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook


def download(client, url: str, fmt: str = "xlsx", **params):
    response = client.get(url, {**params, "xuat": fmt})
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return response


def xlsx_table(response) -> tuple[list, list[list]]:
    """The header and the data rows (the notes come after the first empty row)."""
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    header, body = rows[0], []
    for row in rows[1:]:
        if all(v is None for v in row):
            break
        body.append(row)
    return header, body


def xlsx_notes(response) -> list[str]:
    ws = load_workbook(io.BytesIO(response.content)).active
    column = [row[0].value for row in ws.iter_rows()]
    return [v for v in column[column.index(None) + 1 :] if v] if None in column else []


def csv_table(response) -> tuple[list[str], list[list[str]]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def column(header: list, rows: list[list], name: str) -> list:
    return [row[header.index(name)] for row in rows]


def vi(*msgids: str) -> list[str]:
    """The Vietnamese of headers already in the catalogue (each really translated)."""
    with translation.override("vi"):
        shown = [gettext(m) for m in msgids]
    assert all(s != m for s, m in zip(shown, msgids, strict=True)), shown
    return shown


def is_date(value) -> bool:
    # openpyxl reads a date cell back as a datetime at midnight.
    return isinstance(value, datetime)


def count_queries(call: Callable[[], object]) -> int:
    """Queries of a second call: the first warms caches (content types, sites)."""
    call()
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)
