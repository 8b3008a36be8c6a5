"""The floors of bench/scale.py: each measured page's aggregate as hand-written SQL on the
base tables, with no ORM, no tallies, no rendering. A page's time over its floor's time says
how much the application adds to what the database must do anyway.

Every statement takes named parameters: path (the scope's unit path, e.g. "/1/2/"), plan,
period, start, end and offset.
"""

from __future__ import annotations

SCOPE = (
    'a."unit_id" IN (SELECT u."id" FROM "org_unit" u '
    'WHERE u."path" LIKE %(path)s AND u."kind" <> \'external\')'
)
LIVE = 'a."deleted_at" IS NULL'
YEAR = 'a."date" >= %(start)s AND a."date" <= %(end)s'
REACH = 'SUM(a."participants" + a."listeners" + a."views")'
COUNTED = [
    "participants",
    "listeners",
    "views",
    "news_items",
    "articles",
    "infographics",
    "video_clips",
    "broadcasts",
    "broadcast_minutes",
    "posters",
    "meetings",
]


def dashboard(with_plan: bool) -> list[str]:
    """Activities per day and channel, per unit and topic, per audience: the three heavy
    panels (the rest of the dashboard reads a few hundred rows of tasks and reports)."""
    plan = ' AND a."plan_id" = %(plan)s' if with_plan else ""
    where = f"{LIVE} AND {YEAR} AND {SCOPE}{plan}"
    return [
        f'SELECT a."date", a."channel", COUNT(*) FROM "activities_activity" a WHERE {where} '
        "GROUP BY 1, 2",
        f'SELECT a."unit_id", l."topic_id", COUNT(*), {REACH} FROM "activities_activity" a '
        'JOIN "activities_activitytopic" l ON l."activity_id" = a."id" '
        f"WHERE {where} GROUP BY 1, 2",
        f'SELECT l."audience", COUNT(*), {REACH} FROM "activities_activityaudience" l '
        f'JOIN "activities_activity" a ON a."id" = l."activity_id" WHERE {where} GROUP BY 1',
    ]


def coverage() -> list[str]:
    """The matrix: the plan's activities per unit and channel, and per unit and topic."""
    where = f'{LIVE} AND a."plan_id" = %(plan)s AND {SCOPE}'
    return [
        f'SELECT a."unit_id", a."channel", COUNT(*), {REACH} FROM "activities_activity" a '
        f"WHERE {where} GROUP BY 1, 2",
        f'SELECT a."unit_id", l."topic_id", COUNT(*), {REACH} FROM "activities_activity" a '
        'JOIN "activities_activitytopic" l ON l."activity_id" = a."id" '
        f"WHERE {where} GROUP BY 1, 2",
    ]


def activity_page() -> list[str]:
    """The list's count and totals (shown above it), and one page of 50, newest first,
    with each row's unit."""
    where = f"{LIVE} AND {SCOPE}"
    sums = ", ".join(f'SUM(a."{name}")' for name in COUNTED)
    return [
        f'SELECT COUNT(*), {sums} FROM "activities_activity" a WHERE {where}',
        'SELECT a."id", a."date", a."channel", a."description", u."name" '
        'FROM "activities_activity" a JOIN "org_unit" u ON u."id" = a."unit_id" '
        f'WHERE {where} ORDER BY a."date" DESC, a."id" DESC LIMIT 50 OFFSET %(offset)s',
    ]


def completeness() -> list[str]:
    """The reports board: every unit report of the plan's periods with its state."""
    return [
        'SELECT r."period_id", r."unit_id", r."status", r."first_submitted_at", p."due_date" '
        'FROM "reports_unitreport" r '
        'JOIN "reports_reportingperiod" p ON p."id" = r."period_id" '
        'JOIN "org_unit" u ON u."id" = r."unit_id" '
        'WHERE p."plan_id" = %(plan)s AND u."path" LIKE %(path)s ORDER BY u."path"'
    ]


def summary() -> list[str]:
    """The summary's figures: the accepted units' activities of the period (plan and its
    sub-plans) per unit and channel, and per topic."""
    where = (
        f'{LIVE} AND a."date" >= %(start)s AND a."date" <= %(end)s '
        'AND (a."plan_id" = %(plan)s OR a."plan_id" IN '
        '(SELECT "id" FROM "plans_plan" WHERE "parent_id" = %(plan)s)) '
        'AND a."unit_id" IN (SELECT "unit_id" FROM "reports_unitreport" '
        'WHERE "period_id" = %(period)s AND "status" = \'accepted\')'
    )
    return [
        f'SELECT a."unit_id", a."channel", COUNT(*), {REACH} FROM "activities_activity" a '
        f"WHERE {where} GROUP BY 1, 2",
        f'SELECT l."topic_id", COUNT(*), {REACH} FROM "activities_activity" a '
        'JOIN "activities_activitytopic" l ON l."activity_id" = a."id" '
        f"WHERE {where} GROUP BY 1",
    ]


# Search has no floor here: bench/scale.py runs the page's own statement
# (kehoach.search.engine.statement), nine kinds ranked and counted, as its floor.
