from django.http import HttpRequest
from ninja import Router, Schema

from kehoach.activities.coverage import Table, coverage
from kehoach.core.scoping import get_for_user_or_404
from kehoach.plans.models import Plan

router = Router(tags=["implementation"])


class UnitRef(Schema):
    id: int
    name: str


class TopicRef(Schema):
    id: int
    title: str


class ChannelRef(Schema):
    code: str
    label: str


class TopicCell(Schema):
    unit_id: int
    topic_id: int
    activities: int
    reached: int


class ChannelCell(Schema):
    unit_id: int
    channel: str
    activities: int
    reached: int


class CoverageOut(Schema):
    plan_id: int
    units: list[UnitRef]
    topics: list[TopicRef]
    channels: list[ChannelRef]
    topic_cells: list[TopicCell]
    channel_cells: list[ChannelCell]
    empty_topic_cells: list[tuple[int, int]]
    empty_channel_cells: list[tuple[int, str]]


def _cells(table: Table, key: str) -> list[dict]:
    return [
        {
            "unit_id": row.unit.pk,
            key: column.key,
            "activities": cell.activities,
            "reached": cell.reached,
        }
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
    ]


@router.get(
    "/{plan_id}/coverage",
    response=CoverageOut,
    summary="Coverage of a plan: activities and people reached per unit, topic and form",
)
def plan_coverage(request: HttpRequest, plan_id: int):
    plan = get_for_user_or_404(Plan, request.auth, pk=plan_id)
    result = coverage(plan, request.auth)
    return {
        "plan_id": plan.pk,
        "units": [{"id": u.pk, "name": u.name} for u in result.units],
        "topics": [{"id": c.key, "title": c.label} for c in result.topics.columns],
        "channels": [{"code": c.key, "label": c.label} for c in result.channels.columns],
        "topic_cells": _cells(result.topics, "topic_id"),
        "channel_cells": _cells(result.channels, "channel"),
        "empty_topic_cells": result.topics.empty_cells(),
        "empty_channel_cells": result.channels.empty_cells(),
    }
