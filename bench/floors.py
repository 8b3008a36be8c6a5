"""The floors of bench/scale.py: each measured page's aggregate as hand-written SQL on the
base tables, with no ORM, no tallies, no rendering. A page's time over its floor's time says
how much the application adds to what the database must do anyway.

Every statement takes named parameters: path (the scope's unit path, e.g. "/1/2/"), plan,
period, start, end, offset and today.
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
    """The list's count and totals (shown above it), and one page of 50, newest first, with
    what each row shows: its date, lock, channel, description, reach, unit (short name or
    name), evidence count and topics' titles in the plan's order.

    Until 2026-11-27, 11:30 the page's rows were read without their topics and evidence
    counts, which the list shows on every row."""
    where = f"{LIVE} AND {SCOPE}"
    sums = ", ".join(f'SUM(a."{name}")' for name in COUNTED)
    # The page's ids first, from the activities' newest-first index, then their rows: a wide
    # row read for each of the 24,950 skipped on page 500 is not what anyone would write.
    return [
        f'SELECT COUNT(*), {sums} FROM "activities_activity" a WHERE {where}',
        'WITH ids AS (SELECT a."id" FROM "activities_activity" a '
        f'WHERE {where} ORDER BY a."date" DESC, a."id" DESC LIMIT 50 OFFSET %(offset)s), '
        'page AS (SELECT a."id", a."date", a."locked_at", a."channel", a."description", '
        'a."participants" + a."listeners" + a."views" AS reached, '
        'COALESCE(NULLIF(u."short_name", \'\'), u."name") AS unit, '
        '(SELECT COUNT(*) FROM "activities_evidence" e WHERE e."activity_id" = a."id") AS n '
        'FROM "activities_activity" a JOIN ids ON ids."id" = a."id" '
        'JOIN "org_unit" u ON u."id" = a."unit_id") '
        "SELECT 0, p.id, p.date, p.locked_at, p.channel, p.description, p.reached, p.unit, "
        "p.n, NULL, NULL FROM page p "
        'UNION ALL SELECT 1, l."activity_id", NULL, NULL, NULL, NULL, NULL, NULL, NULL, '
        't."title", t."order" FROM "activities_activitytopic" l '
        'JOIN "plans_topic" t ON t."id" = l."topic_id" '
        'WHERE l."activity_id" IN (SELECT "id" FROM ids) '
        "ORDER BY 1, 3 DESC, 2 DESC, 11, 2",
    ]


def completeness() -> list[str]:
    """The reports board in one statement, computed as the board computes it: each report
    in scope with its unit and state (on time, late, missing, not yet due, from the day of
    its first submission, its period's due date and today), then the counts and the two
    rates shown per period (every period of the plan, reports or none), per unit and
    overall, in the board's order.

    Until 2026-11-27, 08:15 the floor read the periods and the reports with their first
    submission and left the states and the counting undone, which the board does (0.7-0.8
    of this statement's time on both databases); before 06:00 that day, the reports alone."""
    state = (
        'CASE WHEN r."first_submitted_on" IS NULL THEN (CASE WHEN p."due_date" < %(today)s '
        "THEN 'missing' ELSE 'not_due' END) "
        "WHEN r.\"first_submitted_on\" <= p.\"due_date\" THEN 'on_time' ELSE 'late' END"
    )
    counted = (
        "COUNT(r.id), SUM(CASE WHEN r.state IN ('on_time', 'late') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.state = 'on_time' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.state = 'late' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.state = 'missing' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.state = 'not_due' THEN 1 ELSE 0 END), "
        "ROUND(100.0 * SUM(CASE WHEN r.state IN ('on_time', 'late') THEN 1 ELSE 0 END) "
        "/ NULLIF(COUNT(r.id), 0), 1), "
        "ROUND(100.0 * SUM(CASE WHEN r.state = 'on_time' THEN 1 ELSE 0 END) "
        "/ NULLIF(COUNT(r.id), 0), 1)"
    )
    # kind, period, unit, report, name, path, status, state, start, due date, then the
    # six counts and two rates of a period, a unit or the whole board.
    return [
        'WITH p AS (SELECT "id", "label", "start", "due_date" FROM "reports_reportingperiod" '
        'WHERE "plan_id" = %(plan)s), '
        'r AS (SELECT r."id", r."period_id", r."unit_id", u."name", u."path", r."status", '
        f"{state} AS state "
        'FROM "reports_unitreport" r JOIN p ON p."id" = r."period_id" '
        'JOIN "org_unit" u ON u."id" = r."unit_id" WHERE u."path" LIKE %(path)s) '
        "SELECT 0, r.period_id, r.unit_id, r.id, r.name, r.path, r.status, r.state, "
        "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM r "
        "UNION ALL SELECT 1, p.id, NULL, NULL, p.label, NULL, NULL, NULL, p.start, "
        f"p.due_date, {counted} FROM p LEFT JOIN r ON r.period_id = p.id "
        "GROUP BY p.id, p.label, p.start, p.due_date "
        "UNION ALL SELECT 2, NULL, r.unit_id, NULL, MIN(r.name), MIN(r.path), NULL, NULL, "
        f"NULL, NULL, {counted} FROM r GROUP BY r.unit_id "
        "UNION ALL SELECT 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        f"{counted} FROM r "
        "ORDER BY 1, 9, 6, 2, 4"
    ]


def summary() -> list[str]:
    """Compiling the period's summary: everything it reads and writes, as hand-written SQL.

    Reads: the accepted reports (texts and all, for the narratives), the accepted units'
    activities of the period per unit and channel and per topic (the application reads the
    figures kept on each report at acceptance instead), the plan's topics, the ward's concerns
    of the period (per unit and urgency, their waits, the open ones by category, topic and
    place), its exemplars by stage, the accepted units' opinion digests, and every report's
    timeliness. Writes: the summary row with its figures, its audit entry (the row before
    and after) and its search entry. Parameters besides the common ones: since and until
    (the period as times), now, summary (its id), figures (its figures as JSON), snapshot
    (the audit's copy of the row, JSON) and kind (the audit's content type)."""
    from kehoach.feedback.concern_figures import OPEN_STATUSES

    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)  # constants, not input
    accepted = (
        'SELECT "unit_id" FROM "reports_unitreport" '
        'WHERE "period_id" = %(period)s AND "status" = \'accepted\''
    )
    where = (
        f'{LIVE} AND a."date" >= %(start)s AND a."date" <= %(end)s '
        'AND (a."plan_id" = %(plan)s OR a."plan_id" IN '
        '(SELECT "id" FROM "plans_plan" WHERE "parent_id" = %(plan)s)) '
        f'AND a."unit_id" IN ({accepted})'
    )
    ward = 'JOIN "org_unit" u ON u."id" = c."unit_id" WHERE u."path" LIKE %(path)s'
    received = f'{ward} AND c."created_at" >= %(since)s AND c."created_at" < %(until)s'
    return [
        'SELECT r.*, u."name" FROM "reports_unitreport" r '
        'JOIN "org_unit" u ON u."id" = r."unit_id" '
        'WHERE r."period_id" = %(period)s AND r."status" = \'accepted\' ORDER BY u."path"',
        f'SELECT a."unit_id", a."channel", COUNT(*), {REACH} FROM "activities_activity" a '
        f"WHERE {where} GROUP BY 1, 2",
        f'SELECT l."topic_id", COUNT(*), {REACH} FROM "activities_activity" a '
        'JOIN "activities_activitytopic" l ON l."activity_id" = a."id" '
        f"WHERE {where} GROUP BY 1",
        'SELECT "id", "order", "title" FROM "plans_topic" WHERE "plan_id" = %(plan)s '
        'ORDER BY "order", "id"',
        'SELECT c."unit_id", c."urgency", COUNT(*), COUNT(c."answered_at"), '
        'SUM(CASE WHEN c."answered_at" <= c."answer_due" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN c."acknowledged_at" <= c."acknowledge_due" THEN 1 ELSE 0 END) '
        f'FROM "feedback_concern" c {received} GROUP BY 1, 2',
        'SELECT c."created_at", c."acknowledged_at", c."answered_at" FROM "feedback_concern" c '
        f'{received} AND (c."acknowledged_at" IS NOT NULL OR c."answered_at" IS NOT NULL)',
        'SELECT c."category", c."topic_id", c."place", COUNT(*), '
        'SUM(CASE WHEN c."answer_due" < %(now)s THEN 1 ELSE 0 END) '
        f'FROM "feedback_concern" c {ward} AND c."created_at" < %(until)s '
        f'AND c."status" IN ({statuses}) GROUP BY 1, 2, 3',
        'SELECT c."stage", COUNT(*) FROM "exemplars_exemplar" c '
        f'{ward} AND ((c."created_at" >= %(since)s AND c."created_at" < %(until)s) '
        'OR (c."verified_at" >= %(since)s AND c."verified_at" < %(until)s) '
        'OR (c."commended_on" >= %(start)s AND c."commended_on" <= %(end)s) '
        'OR (c."promoted_at" >= %(since)s AND c."promoted_at" < %(until)s)) GROUP BY 1',
        'SELECT d.*, u."name" FROM "feedback_opiniondigest" d '
        'JOIN "org_unit" u ON u."id" = d."unit_id" '
        f'WHERE d."period_id" = %(period)s AND d."unit_id" IN ({accepted}) '
        'ORDER BY d."has_hot_spot" DESC, u."path"',
        'SELECT r."status", r."first_submitted_at", p."due_date" FROM "reports_unitreport" r '
        'JOIN "reports_reportingperiod" p ON p."id" = r."period_id" '
        'WHERE r."period_id" = %(period)s',
        'SELECT * FROM "reports_summaryreport" WHERE "id" = %(summary)s',
        'UPDATE "reports_summaryreport" SET "figures" = %(figures)s, '
        '"version" = "version" + 1, "updated_at" = %(now)s WHERE "id" = %(summary)s',
        'INSERT INTO "audit_auditentry" ("at", "actor_label", "request_id", "source", "action", '
        '"content_type_id", "object_id", "object_repr", "before", "after") VALUES (%(now)s, '
        "'bench', '', 'bench', 'update', %(kind)s, %(summary)s, 'floor', %(snapshot)s, "
        "%(snapshot)s)",
        'UPDATE "search_searchentry" SET "title" = "title", "text" = "text", '
        '"folded_body" = "folded_body", "updated_at" = %(now)s '
        'WHERE "kind" = \'summary_report\' AND "object_id" = %(summary)s',
    ]


# Search has no floor here: bench/scale.py runs the page's own statement
# (kehoach.search.engine.statement), nine kinds ranked and counted, as its floor.
