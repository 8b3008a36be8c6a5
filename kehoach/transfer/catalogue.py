"""Which tables a ward's move carries, found by walking the app registry.

Every model is in exactly one of three places: SCOPES (rows of the ward, selected by a
lookup that ends at a unit of its tree), SPECIAL (users, the shared document registry and
the audit log, handled by hand), or EXCLUDED (global or throw-away tables, each with its
reason). A model added later that has a foreign-key path to Unit but is in none of them
is still exported, by the shortest path found here, and a test fails until someone
places it on purpose.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator

from django.apps import apps
from django.db import models

log = logging.getLogger(__name__)

UNIT = "org.Unit"

# model label → lookup from the model to the unit that owns its rows. Children follow the
# same non-null chain as their parent so a row never travels without the row it hangs on.
SCOPES: dict[str, str] = {
    "org.Unit": "",
    "accounts.Membership": "unit",
    "plans.Plan": "unit",
    "plans.Topic": "plan__unit",
    "plans.Channel": "plan__unit",
    "plans.Assignment": "plan__unit",
    "plans.AssignmentUnit": "assignment__plan__unit",
    "plans.Duty": "assignment__plan__unit",
    "plans.Recipient": "plan__unit",
    "plans.Citation": "plan__unit",
    "activities.Task": "plan__unit",
    "activities.Activity": "unit",
    "activities.ActivityTopic": "activity__unit",
    "activities.ActivityAudience": "activity__unit",
    "activities.Evidence": "activity__unit",
    "reports.ReportingPeriod": "plan__unit",
    "reports.UnitReport": "period__plan__unit",
    "reports.SummaryReport": "period__plan__unit",
    "feedback.Concern": "ward",
    "feedback.ConcernAttachment": "concern__ward",
    "feedback.RoutingRule": "ward",
    "feedback.OpinionDigest": "period__plan__unit",
    "exemplars.Exemplar": "unit",
    "exemplars.ExemplarPhoto": "exemplar__unit",
    "content.ContentItem": "unit",
    "content.ContentTopic": "item__unit",
    "content.ContentTarget": "item__unit",
    "content.ContentMedia": "item__unit",
    "content.BroadcastStation": "ward",
    "content.BroadcastSlot": "station__ward",
    "content.Broadcast": "slot__station__ward",
    "indicators.Indicator": "ward",
    "indicators.Target": "indicator__ward",
    "indicators.Measurement": "indicator__ward",
}

# Carried, but not by a unit lookup (see exporter.py).
SPECIAL: dict[str, str] = {
    "accounts.User": "the people holding a role in the ward; usernames must be free",
    "documents.SourceDocument": "shared registry: the documents cited, merged by number",
    "audit.AuditEntry": "the history of the records carried",
}

EXCLUDED: dict[str, str] = {
    "admin.LogEntry": "Django admin's own log; the audit log is carried instead",
    "auth.Permission": "global table, rebuilt by migrations",
    "auth.Group": "not used: rights come from memberships",
    "contenttypes.ContentType": "global table; audit entries name types by app and model",
    "sessions.Session": "logins do not move",
    "django_tasks_database.DBTaskResult": "the background queue of this server",
    "accounts.ApiToken": "secrets are never exported; people issue new tokens",
    "accounts.TwoFactor": "authenticator secrets are never exported; people enrol again",
    "core.JobRun": "this server's scheduler",
    "core.JobLock": "this server's scheduler",
    "activities.EntryDefaults": "form memory, holds ids of this server",
    "activities.Notification": "links point at this server's ids",
    "activities.DigestLog": "a promise of this server's mailer",
    "feedback.Holiday": "global calendar, loaded on every server",
    "plans.PlanImport": "an upload waiting on the review screen; finish it before the move",
    "plans.PlanExport": "a rendered PDF, made again on demand",
    "reports.SummaryExport": "a rendered PDF, made again on demand",
    "transfer.WardTransfer": "this server's record of moves",
    "search.SearchEntry": "derived index, rebuilt from the records after the import",
    "dashboard.ChannelTally": "derived monthly tallies, rebuilt from the activities",
    "dashboard.TopicTally": "derived monthly tallies, rebuilt from the activities",
    "dashboard.AudienceTally": "derived monthly tallies, rebuilt from the activities",
}


def label(model: type[models.Model]) -> str:
    return model._meta.label


def all_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if not model._meta.auto_created and not model._meta.proxy:
            yield model


def path_to_unit(model: type[models.Model]) -> str | None:
    """The shortest foreign-key lookup from the model to Unit, non-null links first."""
    if label(model) == UNIT:
        return ""
    best: dict[bool, str | None] = {True: None, False: None}
    queue: deque[tuple[type[models.Model], str, bool, int]] = deque([(model, "", True, 0)])
    seen = {model}
    while queue:
        current, prefix, required, depth = queue.popleft()
        if depth > 5:
            continue
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            target = field.related_model
            lookup = f"{prefix}__{field.name}" if prefix else field.name
            still_required = required and not field.null
            if label(target) == UNIT:
                if best[still_required] is None:
                    best[still_required] = lookup
                continue
            if target in seen or label(target) in EXCLUDED or label(target) in SPECIAL:
                continue
            seen.add(target)
            queue.append((target, lookup, still_required, depth + 1))
    return best[True] or best[False]


def scoped_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to its unit) for every table carried by unit."""
    result = []
    for model in all_models():
        name = label(model)
        if name in SCOPES:
            result.append((model, SCOPES[name]))
        elif name not in SPECIAL and name not in EXCLUDED:
            lookup = path_to_unit(model)
            if lookup is not None:
                log.warning(
                    "%s is not placed in kehoach.transfer.catalogue; carried by %s", name, lookup
                )
                result.append((model, lookup))
    return result


def unplaced_models() -> list[str]:
    """Models nobody has placed; a test keeps this list empty."""
    placed = set(SCOPES) | set(SPECIAL) | set(EXCLUDED)
    return sorted(label(m) for m in all_models() if label(m) not in placed)
