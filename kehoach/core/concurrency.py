"""Stale-form detection: an edit based on an old read is refused, never silently applied."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models


class StaleEdit(ValidationError):
    """The object changed after the form was opened; saving would overwrite someone's work."""


def check_fresh(obj: models.Model, seen_updated_at: datetime | None, message: str) -> None:
    if seen_updated_at is not None and obj.updated_at != seen_updated_at:
        raise StaleEdit(message)
