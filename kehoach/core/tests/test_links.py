import pytest
from django.urls import reverse

from kehoach.core.links import pk_url


@pytest.mark.parametrize(
    "name", ["activities:detail", "reports:unit_report", "feedback:detail", "plans:detail"]
)
@pytest.mark.parametrize("pk", [1, 42, 9_876_543_210, 10**12])
def test_pk_url_gives_what_reverse_gives(name, pk):
    assert pk_url(name)(pk) == reverse(name, args=[pk])


def test_pk_url_takes_only_integers():
    with pytest.raises(ValueError):
        pk_url("activities:detail")("1/../admin")
