"""The one answer to "may this person do this to this object".

A role held on a unit applies to its whole subtree. Administrators (is_staff) manage
the system and may do everything. Each action names the roles that allow it; an
object says which unit it belongs to through its `scope_unit`.
"""

from __future__ import annotations

from typing import Any

from kehoach.accounts.models import Role
from kehoach.accounts.querysets import memberships_of

ALL_ROLES = frozenset(Role.values)
OVERSIGHT = frozenset({Role.COORDINATOR, Role.LEADER})

# Actions and the roles that allow them; None means administrators only.
RULES: dict[str, frozenset[str] | None] = {
    "org.view_unit": ALL_ROLES,
    "org.manage_unit": None,
    "org.import_units": None,
    "accounts.manage_users": None,
    "audit.view_history": OVERSIGHT | {Role.HEAD},
    "audit.view_all": None,
    # Creating a unit while matching an imported plan's headings to the tree.
    "org.add_unit": frozenset({Role.COORDINATOR}),
    "plans.import": OVERSIGHT | {Role.HEAD},
    "plans.edit": OVERSIGHT | {Role.HEAD},
    "plans.issue": OVERSIGHT,
    "plans.create_sub_plan": OVERSIGHT | {Role.HEAD, Role.OFFICER},
    "plans.view_coverage": OVERSIGHT | {Role.HEAD},
    # Tasks: units mark their own done; the coordinator adds, reassigns, extends, cancels.
    "tasks.mark_done": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "tasks.manage": frozenset({Role.COORDINATOR}),
    # Activities: logged and edited by the unit's people and the coordinator above them.
    "activities.log": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "activities.unlock": frozenset({Role.COORDINATOR}),
    # Reporting: the unit writes and its head submits; the coordinator opens periods,
    # reviews and compiles; a leader approves the summary.
    "reports.edit": frozenset({Role.OFFICER, Role.HEAD}),
    "reports.submit": frozenset({Role.HEAD}),
    "reports.review": frozenset({Role.COORDINATOR}),
    "reports.manage_periods": frozenset({Role.COORDINATOR}),
    "reports.view_board": OVERSIGHT,
    "reports.compile": frozenset({Role.COORDINATOR}),
    "reports.approve": frozenset({Role.LEADER}),
    # Concerns: any unit's people record them; the handling unit answers; the coordinator
    # routes, overrides and sees escalations; only the handling unit sees contact details.
    "concerns.record": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "concerns.handle": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "concerns.route": frozenset({Role.COORDINATOR}),
    "concerns.see_contact": frozenset({Role.OFFICER, Role.HEAD}),
    "opinion.write": frozenset({Role.OFFICER, Role.HEAD}),
    "exemplars.nominate": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "exemplars.verify": frozenset({Role.COORDINATOR}),
    "exemplars.commend": frozenset({Role.LEADER}),
    "exemplars.promote": frozenset({Role.COORDINATOR}),
    # Content: units draft; the unit head approves its own social page, the coordinator or
    # a leader the ward portal, the loudspeakers and print; the coordinator schedules.
    "content.draft": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "content.review_unit": frozenset({Role.HEAD, Role.COORDINATOR, Role.LEADER}),
    "content.review_ward": OVERSIGHT,
    "content.schedule": frozenset({Role.COORDINATOR}),
    # Targets: the coordinator keeps the catalogue; the responsible unit enters figures.
    "indicators.manage": frozenset({Role.COORDINATOR}),
    "indicators.measure": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR}),
    "dashboard.view": OVERSIGHT | {Role.HEAD},
    "infographics.make": frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR, Role.LEADER}),
}


class UnknownAction(KeyError):
    pass


def roles_on(user, unit) -> set[str]:
    """Roles the person holds on the unit through it or any unit above it."""
    if unit is None or not user.is_authenticated:
        return set()
    return {m.role for m in memberships_of(user) if unit.path.startswith(m.unit.path)}


def can(user, action: str, obj: Any = None) -> bool:
    if action not in RULES:
        raise UnknownAction(action)
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    allowed = RULES[action]
    if allowed is None:
        return False
    unit = getattr(obj, "scope_unit", None) if obj is not None else None
    if unit is None:
        # An action not tied to an object: any membership with an allowed role.
        return any(m.role in allowed for m in memberships_of(user))
    if unit.kind == "external" and action == "org.view_unit":
        return True
    return bool(roles_on(user, unit) & allowed)


def require(user, action: str, obj: Any = None) -> None:
    """For services: refuse unless the person may do the action."""
    from django.core.exceptions import PermissionDenied

    if not can(user, action, obj):
        raise PermissionDenied
