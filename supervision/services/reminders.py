"""Deadline reminders and escalations: an idempotent sweep over database state.

Each rule is one ``INSERT … SELECT … ON CONFLICT (key) DO NOTHING RETURNING`` statement: the database
picks the due items, records each reminder once (the unique key makes a rerun, a retry or a second
worker a no-op) and returns only the rows this run inserted. Those become one digest per recipient.
Nothing is sent on a non-working day: the next working day's run catches up, because windows are
measured in working days.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override

from accounts.models import Notification, User
from accounts.reference import CENTRAL_OFFICE_CODE
from accounts.services.notifications import notify_each
from filings.workdays import WorkCalendar

# (rule, offsets in working days before the deadline; 0 = the deadline has passed)
PROVIDER_OFFSETS = (3, 1, 0)
SWEEP_LOCK = 0x5245_4D49  # "REMI": the advisory lock that serialises reminder sweeps

_INSERT = """
INSERT INTO supervision_reminder (key, rule, recipient_id, subject_type, subject_id, due, "offset", created_at)
SELECT %(rule)s || ':' || item.deadline_of || ':' || item.due || ':' || %(offset)s || ':' || item.recipient_id,
       %(rule)s, item.recipient_id, item.subject_type, item.subject_id, item.due, %(offset)s, now()
FROM ({select}) AS item (recipient_id, subject_type, subject_id, due, deadline_of)
WHERE {window}
ON CONFLICT (key) DO NOTHING
RETURNING id, rule, recipient_id, subject_type, subject_id, due, "offset"
"""

# Each source selects (recipient_id, subject_type, subject_id, due, deadline_of) of the items a rule
# watches. ``deadline_of`` names whose deadline it is, for the reminder's key: the filing, or for the
# statutory decision the reviewed subject (every stage's task carries the same deadline: it is
# escalated once, not once per stage).
SOURCES: dict[str, str] = {
    # Providers: the statutory deadlines of their drafts, changes and corrections.
    "filing_due": """
        SELECT u.id, 'filing', f.id, f.filing_due, f.id::text
        FROM filings_filing f JOIN accounts_user u ON u.organization_id = f.organization_id AND u.is_active
        WHERE f.status = 'draft' AND f.filing_due IS NOT NULL""",
    # A change being corrected after a return was filed in time: its statutory date no longer applies.
    "change_due": """
        SELECT u.id, 'filing', f.id, v.change_due, f.id::text
        FROM filings_filingversion v JOIN filings_filing f ON f.id = v.filing_id
        JOIN accounts_user u ON u.organization_id = f.organization_id AND u.is_active
        WHERE v.status = 'draft' AND v.purpose = 'change' AND v.change_due IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM filings_filingversion p
                          WHERE p.filing_id = v.filing_id AND p.number = v.number - 1 AND p.status = 'returned')""",
    "correction_due": """
        SELECT u.id, 'filing', f.id, f.correction_due, f.id::text
        FROM filings_filing f JOIN accounts_user u ON u.organization_id = f.organization_id AND u.is_active
        WHERE f.status = 'returned' AND f.correction_due IS NOT NULL""",
    "cancellation_due": """
        SELECT u.id, 'filing', f.id, f.cancellation_due, f.id::text
        FROM filings_filing f JOIN accounts_user u ON u.organization_id = f.organization_id AND u.is_active
        WHERE f.status IN ('approved', 'published') AND f.cancellation_due IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM filings_filingcancellation c
                          WHERE c.filing_id = f.id AND c.status IN ('submitted', 'in_review'))""",
    "reassessment_due": """
        SELECT u.id, 'filing', f.id, r.due, f.id::text
        FROM filings_reassessment r JOIN filings_filing f ON f.id = r.filing_id
        JOIN accounts_user u ON u.organization_id = f.organization_id AND u.is_active
        WHERE r.status IN ('open', 'returned') AND f.status IN ('approved', 'published')""",
    # Reviewers: the internal deadline of the stage they hold, and the statutory decision deadline.
    "stage_due": """
        SELECT u.id, 'review_task', t.id, t.due, t.id::text
        FROM supervision_reviewtask t JOIN accounts_user u ON u.id = t.assignee_id AND u.is_active
        WHERE t.status IN ('open', 'claimed')""",
    "decision_due": """
        SELECT u.id, 'review_task', t.id, t.decision_due, t.subject_type || '-' || t.subject_id
        FROM supervision_reviewtask t JOIN accounts_user u ON u.id = t.assignee_id AND u.is_active
        WHERE t.status IN ('open', 'claimed') AND t.subject_type NOT IN ('organization', 'organization_change')""",
    # Escalations: a stage past its deadline goes to its office's supervisors; a breached statutory
    # deadline to the central office's supervisors. Entity (主体) reviews have an internal target only,
    # no statutory decision deadline.
    "stage_overdue": """
        SELECT u.id, 'review_task', t.id, t.due, t.id::text
        FROM supervision_reviewtask t
        JOIN accounts_user u ON u.office_id = t.office_id AND u.is_active
        JOIN accounts_user_groups ug ON ug.user_id = u.id
        JOIN auth_group g ON g.id = ug.group_id AND g.name = 'supervisor'
        WHERE t.status IN ('open', 'claimed')""",
    "decision_breached": """
        SELECT u.id, 'review_task', t.id, t.decision_due, t.subject_type || '-' || t.subject_id
        FROM supervision_reviewtask t
        JOIN accounts_regulatoroffice central ON central.code = %(central)s
        JOIN accounts_user u ON u.office_id = central.id AND u.is_active
        JOIN accounts_user_groups ug ON ug.user_id = u.id
        JOIN auth_group g ON g.id = ug.group_id AND g.name = 'supervisor'
        WHERE t.status IN ('open', 'claimed') AND t.subject_type NOT IN ('organization', 'organization_change')""",
}
RULE_OFFSETS: dict[str, tuple[int, ...]] = {
    "filing_due": PROVIDER_OFFSETS,
    "change_due": PROVIDER_OFFSETS,
    "correction_due": PROVIDER_OFFSETS,
    "cancellation_due": PROVIDER_OFFSETS,
    "reassessment_due": PROVIDER_OFFSETS,
    "stage_due": (3, 1),
    "decision_due": (5, 1),
    "stage_overdue": (0,),
    "decision_breached": (0,),
}


@dataclass(frozen=True)
class SweepResult:
    reminders: int
    digests: int
    skipped_non_working_day: bool = False


def _window(
    calendar: WorkCalendar, today: datetime.date, offsets: tuple[int, ...], offset: int
) -> tuple[str, dict[str, Any]]:
    """The deadlines a reminder ``offset`` working days ahead covers today.

    Windows of one rule tile the future without gaps: the offset-3 reminder covers deadlines 2 to 3
    working days ahead (so a run missed yesterday catches up today), the offset-1 one covers today and
    tomorrow. Offset 0 means the deadline has passed: it ended at 24:00 on a day before today.
    """
    if offset == 0:
        return "item.due < %(today)s", {"today": today}
    nearer = [o for o in offsets if 0 < o < offset]
    low = calendar.add(today, max(nearer) + 1).value if nearer else today
    high = calendar.add(today, offset + 1).value
    return "item.due >= %(low)s AND item.due < %(high)s", {"low": low, "high": high}


def _insert(rule: str, offset: int, calendar: WorkCalendar, today: datetime.date) -> list[tuple[Any, ...]]:
    where, params = _window(calendar, today, RULE_OFFSETS[rule], offset)
    sql = _INSERT.format(select=SOURCES[rule], window=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"rule": rule, "offset": offset, "central": CENTRAL_OFFICE_CODE, **params})
        return list(cursor.fetchall())


def reminder_sweep(*, today: datetime.date | None = None) -> SweepResult:
    """Record the reminders due today and send each recipient one digest."""
    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    if not calendar.is_workday(today):
        return SweepResult(0, 0, skipped_non_working_day=True)
    with transaction.atomic():
        # Concurrent sweeps (a second worker, a retry) queue here rather than interleave their inserts,
        # which could deadlock on the unique keys; the second then finds everything recorded.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
        inserted: list[tuple[Any, ...]] = []
        for rule, offsets in RULE_OFFSETS.items():
            for offset in offsets:
                inserted.extend(_insert(rule, offset, calendar, today))
        digests = _send_digests(inserted, today, calendar)
    return SweepResult(len(inserted), digests)


def _send_digests(rows: list[tuple[Any, ...]], today: datetime.date, calendar: WorkCalendar) -> int:
    by_recipient: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_recipient[row[2]].append(row)
    if not by_recipient:
        return 0
    names = _subject_names(rows)
    days_left = {due: calendar.between(today, due).days for due in {row[5] for row in rows}}
    users = {u.pk: u for u in User.objects.filter(id__in=by_recipient)}
    messages = []
    for recipient_id, items in by_recipient.items():
        user = users[recipient_id]
        with override(user.language):
            ordered = sorted(items, key=lambda r: (r[5], r[4]))
            lines = [_line(item, names, days_left[item[5]]) for item in ordered]
        # The lines are already in the recipient's language; the subject is rendered in it by notify_each.
        params = {"count": len(items), "lines": "\n".join(lines)}
        messages.append((user, SUBJECT, "%(lines)s", params, "/notifications/"))
    notifications = notify_each(messages)  # one statement; the outbox sweeper e-mails them in batches
    _link_reminders(by_recipient, notifications)
    return len(notifications)


def _link_reminders(by_recipient: dict[int, list[tuple[Any, ...]]], notifications: Iterable[Notification]) -> None:
    reminder_ids: list[int] = []
    notification_ids: list[int] = []
    for notification in notifications:
        for row in by_recipient[notification.recipient_id or 0]:
            reminder_ids.append(row[0])
            notification_ids.append(notification.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE supervision_reminder r SET notification_id = v.nid"
            " FROM unnest(%s::bigint[], %s::bigint[]) AS v(rid, nid) WHERE r.id = v.rid",
            [reminder_ids, notification_ids],
        )


def _subject_names(rows: list[tuple[Any, ...]]) -> dict[tuple[str, int], str]:
    from filings.models import Filing
    from supervision.models import ReviewTask

    filing_ids = {row[4] for row in rows if row[3] == "filing"}
    task_ids = {row[4] for row in rows if row[3] == "review_task"}
    names: dict[tuple[str, int], str] = {}
    for filing_id, name in Filing.objects.filter(id__in=filing_ids).values_list("id", "name"):
        names[("filing", filing_id)] = name or f"#{filing_id}"
    tasks = ReviewTask.objects.filter(id__in=task_ids).values_list("id", "filing__name", "organization__name")
    for task_id, filing_name, organization_name in tasks:
        names[("review_task", task_id)] = filing_name or organization_name
    return names


SUBJECT = _("Deadlines: %(count)s item(s) need attention")
RULE_TEXT = {
    "filing_due": _("Filing of %(name)s due %(due)s"),
    "change_due": _("Change of %(name)s due %(due)s"),
    "correction_due": _("Correction of %(name)s due %(due)s"),
    "cancellation_due": _("Cancellation of %(name)s due %(due)s"),
    "reassessment_due": _("Re-assessment of %(name)s due %(due)s"),
    "stage_due": _("Review stage of %(name)s due %(due)s"),
    "decision_due": _("Statutory decision on %(name)s due %(due)s"),
    "stage_overdue": _("Escalation: the review stage of %(name)s was due %(due)s"),
    "decision_breached": _("Escalation: the statutory decision on %(name)s was due %(due)s"),
}


def _line(row: tuple[Any, ...], names: dict[tuple[str, int], str], days_left: int) -> str:
    _id, rule, _recipient, subject_type, subject_id, due, offset = row
    name = names.get((subject_type, subject_id), f"#{subject_id}")
    text = str(RULE_TEXT[rule]) % {"name": name, "due": date_format(due, "Y-m-d")}
    if offset == 0:
        suffix = str(_("overdue"))
    elif days_left <= 0:
        suffix = str(_("due today"))
    else:
        suffix = ngettext("%(n)s working day left", "%(n)s working days left", days_left) % {"n": days_left}
    return f"· {text} ({suffix})"
