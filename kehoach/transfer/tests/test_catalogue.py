"""Every table is placed on purpose: carried with the ward, handled by hand, or left behind."""

import pytest
from django.apps import apps

from kehoach.org.models import Unit
from kehoach.transfer import catalogue


def test_every_model_is_carried_or_left_behind_on_purpose() -> None:
    # A new model fails here until it is added to SCOPES (with its lookup to the unit that
    # owns its rows) or to EXCLUDED (with the reason it stays on this server).
    assert catalogue.unplaced_models() == []


def test_no_model_is_placed_twice() -> None:
    scoped, special, excluded = (
        set(catalogue.SCOPES),
        set(catalogue.SPECIAL),
        set(catalogue.EXCLUDED),
    )
    assert not (scoped & special) and not (scoped & excluded) and not (special & excluded)


@pytest.mark.parametrize("name,lookup", [(k, v) for k, v in catalogue.SCOPES.items() if v])
def test_every_scope_lookup_ends_at_a_unit(name: str, lookup: str) -> None:
    model = apps.get_model(name)
    for part in lookup.split("__"):
        field = model._meta.get_field(part)
        assert field.many_to_one or field.one_to_one, f"{name}: {part}"
        model = field.related_model
    assert model is Unit


def test_a_model_nobody_placed_is_still_carried_by_its_path_to_a_unit(monkeypatch) -> None:
    scopes = dict(catalogue.SCOPES)
    del scopes["activities.Evidence"]
    monkeypatch.setattr(catalogue, "SCOPES", scopes)
    found = {catalogue.label(m): lookup for m, lookup in catalogue.scoped_models()}
    assert found["activities.Evidence"] == "activity__unit"
    assert catalogue.unplaced_models() == ["activities.Evidence"]


def test_tables_without_a_path_to_a_unit_have_none() -> None:
    assert catalogue.path_to_unit(apps.get_model("activities.Notification")) is None
    assert catalogue.path_to_unit(apps.get_model("feedback.Holiday")) is None
    assert catalogue.path_to_unit(apps.get_model("plans.Duty")) == "assignment__plan__unit"
