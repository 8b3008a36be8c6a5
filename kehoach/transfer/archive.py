"""The archive format shared by the exporter and the importer.

A ZIP with manifest.json, data/<app>.<model>.json (the ward's rows), shared/… (rows of
shared registries the ward refers to: external bodies, cited documents) and files/…
(uploaded files under their storage names). Rows are {"pk": old id, "fields": {attname:
value}}: foreign keys hold the old ids, which the importer maps to new ones.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.conf import settings

FORMAT = "kehoach-ward"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
SHARED_DIR = "shared/"
FILES_DIR = "files/"

# Limits on what an uploaded archive may unpack to; settings may raise them.
DEFAULT_MAX_BYTES = 4 * 1024**3
DEFAULT_MAX_ENTRIES = 500_000
MANIFEST_MAX_BYTES = 64 * 1024**2


def max_bytes() -> int:
    return int(getattr(settings, "TRANSFER_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_entries() -> int:
    return int(getattr(settings, "TRANSFER_MAX_ENTRIES", DEFAULT_MAX_ENTRIES))


def data_name(model_label: str, shared: bool = False) -> str:
    return f"{SHARED_DIR if shared else DATA_DIR}{model_label.lower()}.json"


def is_safe_name(name: str) -> bool:
    """A relative path with no way out of the folder it is unpacked into."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.rstrip("/").split("/")
    if ":" in parts[0]:
        return False
    return all(part not in ("", ".", "..") for part in parts)


def encode(value: Any) -> Any:
    """A JSON value that reads back exactly (full microseconds, decimals as text)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value
