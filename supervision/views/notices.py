"""Formal notices: a printable page and a PDF, for whoever may see the filing."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from filings.selectors import filing_get_visible
from supervision.models import Notice


def _notice(request: HttpRequest, reference: str) -> Notice:
    notice = Notice.objects.select_related("filing", "office").filter(reference=reference).first()
    if notice is None:
        raise Http404
    filing_get_visible(user=request.user, filing_id=notice.filing_id)  # 404 outside the user's scope
    return notice


def _content(notice: Notice) -> dict[str, str]:
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    content: dict[str, str] = notice.content[language]
    return content


@login_required
def notice_view(request: HttpRequest, reference: str) -> HttpResponse:
    notice = _notice(request, reference)
    return render(request, "supervision/notice.html", {"notice": notice, "content": _content(notice)})


@login_required
def notice_pdf_view(request: HttpRequest, reference: str) -> HttpResponse:
    notice = _notice(request, reference)
    response = HttpResponse(render_pdf(notice, _content(notice)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notice.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def render_pdf(notice: Notice, content: dict[str, str]) -> bytes:
    """An A4 PDF with reportlab's built-in CJK font (STSong-Light: nothing to download or embed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=content["title"], author=content["office"])
    story = [
        Paragraph(content["title"], title),
        Paragraph(notice.reference, right),
        Spacer(1, 12),
        Paragraph(f"{content['addressee']}:", body),
        Spacer(1, 6),
        Paragraph(content["body"], body),
    ]
    if content.get("reasons"):
        story += [Spacer(1, 6), Paragraph(content["reasons"].replace("\n", "<br/>"), body)]
    story += [
        Spacer(1, 12),
        Paragraph(content["legal_basis"], body),
        Spacer(1, 24),
        Paragraph(content["office"], right),
        Paragraph(content["date"], right),
    ]
    document.build(story)
    return buffer.getvalue()
