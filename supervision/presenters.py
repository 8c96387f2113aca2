"""What a reviewer sees of a filing subject: the version under review, its diff, the documents."""

from __future__ import annotations

from typing import Any

from filings.fields import item_label
from filings.models import Filing, FilingCancellation, FilingVersion, Objection, Reassessment
from filings.selectors import current_attachments
from filings.services.common import last_approved_version
from filings.versions import diff
from filings.views.presenters import display_rows
from supervision.models import ReviewTask, SubjectType


def filing_review_context(task: ReviewTask) -> dict[str, Any]:
    filing = task.filing
    assert filing is not None
    context: dict[str, Any] = {
        "filing": filing,
        "organization": filing.organization,
        "attachments": current_attachments(filing),
    }
    if task.subject_type == SubjectType.CANCELLATION:
        context["cancellation"] = FilingCancellation.objects.get(id=task.subject_id)
        version = last_approved_version(filing)
    elif task.subject_type == SubjectType.OBJECTION:
        context["objection"] = Objection.objects.get(id=task.subject_id)
        version = last_approved_version(filing)
    elif task.subject_type == SubjectType.REASSESSMENT:
        context["reassessment"] = Reassessment.objects.select_related("report").get(id=task.subject_id)
        version = last_approved_version(filing)
    elif task.subject_type == SubjectType.CHANGE:
        version = FilingVersion.objects.get(id=task.subject_id)
        base = last_approved_version(filing)
        context["changes"] = [
            {**change, "label": item_label(change["field"])} for change in diff(base.data if base else {}, version.data)
        ]
    else:
        version = filing.versions.filter(frozen=True).order_by("-number").first()
    context["reviewed_version"] = version
    context["sections"] = display_rows(version.data) if version else []
    return context


def tier_rows(filing: Filing) -> list[dict[str, Any]]:
    """The factor-by-factor explanation of the policy tier, with labels and shown values."""
    from filings.fields import BY_KEY
    from filings.views.presenters import display_value
    from supervision.tiering import explanation_of

    rows = []
    for row in explanation_of(filing).get("factors", []):
        spec = BY_KEY.get(row["factor"])
        value = row["value"]
        shown = display_value(spec, value) if spec is not None and spec.kind != "integer" else value
        rows.append({"label": spec.label if spec else row["factor"], "value": shown, "points": row["points"]})
    return rows
