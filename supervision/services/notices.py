"""Formal notices (receipt, filing, correction request, refusal): rendered in both languages when
issued and never changed afterwards (a database trigger refuses it)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import RegulatorOffice, User
from filings.models import Filing
from supervision.models import Notice, NoticeKind

PROVISIONS = "《互联网信息服务算法推荐管理规定》"
LEGAL_BASIS = {
    NoticeKind.RECEIPT: ("第二十四条", "Art. 24"),
    NoticeKind.APPROVAL: ("第二十五条", "Art. 25"),
    NoticeKind.CORRECTION: ("第二十五条", "Art. 25"),
    NoticeKind.REFUSAL: ("第二十五条", "Art. 25"),
}
KIND_LETTER = {NoticeKind.RECEIPT: "S", NoticeKind.APPROVAL: "B", NoticeKind.CORRECTION: "Z", NoticeKind.REFUSAL: "J"}


def _render(
    kind: str, filing: Filing, office: RegulatorOffice, reasons: str, issued: Any, language: str
) -> dict[str, Any]:
    with translation.override(language):
        article_zh, article_en = LEGAL_BASIS[NoticeKind(kind)]
        basis = (
            f"{PROVISIONS}{article_zh}"
            if language.startswith("zh")
            else f"Provisions on the Administration of Algorithmic Recommendation, {article_en}"
        )
        params = {
            "organization": filing.organization.name,
            "name": filing.name,
            "number": filing.filing_number or "",
            "date": date_format(issued, "Y-m-d"),
            "due": date_format(filing.decision_due, "Y-m-d") if filing.decision_due else "",
            "correction_due": date_format(filing.correction_due, "Y-m-d") if filing.correction_due else "",
        }
        bodies = {
            NoticeKind.RECEIPT: _(
                "The filing materials of the algorithm “%(name)s” submitted by %(organization)s were received "
                "on %(date)s. A decision will be made by %(due)s."
            ),
            NoticeKind.APPROVAL: _(
                "The algorithm “%(name)s” of %(organization)s is filed under number %(number)s. Display the "
                "number prominently on the service, with a link to the public disclosure."
            ),
            NoticeKind.CORRECTION: _(
                "The filing materials of the algorithm “%(name)s” of %(organization)s are incomplete. "
                "Correct them by %(correction_due)s for the following reasons."
            ),
            NoticeKind.REFUSAL: _(
                "The algorithm “%(name)s” of %(organization)s is not filed, for the following reasons."
            ),
        }
        return {
            "title": str(NoticeKind(kind).label),
            "addressee": filing.organization.name,
            "body": bodies[NoticeKind(kind)] % params,
            "reasons": reasons,
            "legal_basis": basis,
            "office": office.name,
            "date": params["date"],
        }


def issue_notice(
    *, kind: str, filing: Filing, actor: User | None, reasons: str = "", office: RegulatorOffice | None = None
) -> Notice:
    """Issue a notice in the transaction of the decision it reports."""
    issuing_office = office or filing.organization.office
    assert issuing_office is not None
    issued = timezone.now()
    notice = Notice(
        kind=kind,
        reference="pending",
        filing=filing,
        organization=filing.organization,
        office=issuing_office,
        issued_at=issued,
        issued_by=actor,
        content={
            language: _render(kind, filing, issuing_office, reasons, timezone.localtime(issued), language)
            for language in ("zh-hans", "en")
        },
    )
    # The row is immutable once inserted, so the reference (with its serial) is complete before.
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('supervision_notice_seq')")
        (serial,) = cursor.fetchone()
    notice.reference = f"{issuing_office.code}-{timezone.localdate().year}-{KIND_LETTER[NoticeKind(kind)]}{serial:06d}"
    notice.save()
    return notice
