import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are matched on their English source text, whatever the catalogue holds.
    with translation.override("en"):
        yield
