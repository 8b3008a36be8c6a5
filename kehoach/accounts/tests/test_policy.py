import pytest

from kehoach.accounts import policy
from kehoach.accounts.models import Membership, Role
from kehoach.accounts.querysets import forget_memberships
from kehoach.org.models import Unit


def test_a_role_covers_the_whole_subtree(world) -> None:
    assert policy.can(world.coordinator, "org.view_unit", world.cell1)
    assert policy.can(world.coordinator, "audit.view_history", world.cell2)


def test_a_role_does_not_reach_sideways_or_upwards(world) -> None:
    assert not policy.can(world.secretary, "org.view_unit", world.cell2)
    assert not policy.can(world.secretary, "org.view_unit", world.ward)
    assert not policy.can(world.outsider, "org.view_unit", world.cell1)


def test_administrators_may_do_everything_and_others_may_not_manage_units(world) -> None:
    assert policy.can(world.admin, "org.manage_unit", world.cell1)
    assert not policy.can(world.coordinator, "org.manage_unit", world.cell1)


def test_a_viewer_may_look_but_not_read_the_history(world) -> None:
    Membership.objects.create(user=world.outsider, unit=world.cell2, role=Role.VIEWER)
    forget_memberships(world.outsider)
    assert policy.can(world.outsider, "org.view_unit", world.cell2)
    assert not policy.can(world.outsider, "audit.view_history", world.cell2)


def test_anonymous_and_inactive_people_may_do_nothing(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), "org.view_unit", world.cell1)
    world.secretary.is_active = False
    assert not policy.can(world.secretary, "org.view_unit", world.cell1)


def test_an_unknown_action_is_a_programming_error(world) -> None:
    with pytest.raises(policy.UnknownAction):
        policy.can(world.admin, "org.eat_unit", world.cell1)


def test_external_bodies_are_visible_to_everyone_signed_in(world) -> None:
    assert policy.can(world.secretary, "org.view_unit", world.superior)
    assert world.superior in Unit.objects.for_user(world.outsider)


def test_scope_queryset_and_policy_agree_for_every_persona(world) -> None:
    people = [world.secretary, world.secretary2, world.coordinator, world.outsider, world.admin]
    for person in people:
        visible = set(Unit.objects.for_user(person))
        for unit in Unit.objects.all():
            assert (unit in visible) == policy.can(person, "org.view_unit", unit), (person, unit)


def test_a_membership_on_a_retired_unit_gives_no_scope(world) -> None:
    world.cell1.is_active = False
    world.cell1.save()
    forget_memberships(world.secretary)
    assert not Unit.objects.for_user(world.secretary).filter(pk=world.cell1.pk).exists()
