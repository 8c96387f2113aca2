"""The public listing of a published filing: the columns CAC publishes, kept in step by the services.

Callers hold the filing's lock (they are inside a publication, change, cancellation or revocation).
The published lists are in Chinese whatever the reader's language: the category and the product
forms are written in Chinese, as CAC writes them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from filings.models import Filing, PublicListing, PublicSeries, PublicState
from filings.services.common import last_approved_version
from filings.workflow import AlgorithmType, FilingStatus, ServiceForm

# 算法类别 as published in the algorithm list.
CATEGORY_BY_TYPE = {
    AlgorithmType.GENERATION_SYNTHESIS: "生成合成类",
    AlgorithmType.PERSONALIZED_PUSH: "个性化推送类",
    AlgorithmType.SORTING_SELECTION: "排序精选类",
    AlgorithmType.SCHEDULING_DECISION: "调度决策类",
}
DISCLOSURE_KEYS = ("disclosure_principle", "disclosure_mechanism", "disclosure_scenarios", "disclosure_purpose")
# Product forms as the published lists write them (not the UI's translations: the lists are Chinese).
FORM_AS_PUBLISHED = {
    ServiceForm.WEBSITE: "网站",
    ServiceForm.APP: "APP",
    ServiceForm.MINI_PROGRAM: "小程序",
    ServiceForm.PUBLIC_ACCOUNT: "公众号",
    ServiceForm.API: "API",
    ServiceForm.DESKTOP: "客户端",
    ServiceForm.PLUGIN: "插件",
}
ENDED_REMARK = {FilingStatus.CANCELLED: "已注销", FilingStatus.REVOKED: "已撤销"}
STATE_OF = {FilingStatus.CANCELLED: PublicState.CANCELLED, FilingStatus.REVOKED: PublicState.REVOKED}


def category_of(filing: Filing) -> str:
    if filing.algorithm_type == AlgorithmType.RETRIEVAL_FILTERING:
        return "内容过滤类" if filing.filtering else "信息检索类"
    return CATEGORY_BY_TYPE.get(AlgorithmType(filing.algorithm_type), "") if filing.algorithm_type else ""


def series_of(filing: Filing) -> str:
    """Deep-synthesis services (generation and synthesis) go to the deep-synthesis list."""
    if filing.algorithm_type == AlgorithmType.GENERATION_SYNTHESIS:
        return PublicSeries.DEEP_SYNTHESIS
    return PublicSeries.ALGORITHM


def products_text(products: list[dict[str, Any]]) -> str:
    """微博（APP、网站、小程序）、微博国际版（APP）: each product with its forms, as CAC writes them."""
    forms: OrderedDict[str, list[str]] = OrderedDict()
    for product in products:
        if not isinstance(product, dict) or not product.get("name"):
            continue
        labels = forms.setdefault(str(product["name"]), [])
        form = product.get("service_form")
        label = FORM_AS_PUBLISHED.get(ServiceForm(form), "") if form in ServiceForm.values else ""
        if label and label not in labels:
            labels.append(label)
    return "、".join(f"{name}（{'、'.join(labels)}）" if labels else name for name, labels in forms.items())


def public_columns(filing: Filing) -> dict[str, Any]:
    """The public columns of a native filing, from its approved content."""
    version = last_approved_version(filing)
    data = version.data if version else {}
    return {
        "series": series_of(filing),
        "name": filing.name,
        "category": category_of(filing),
        "algorithm_type": filing.algorithm_type,
        "role": filing.role,
        "organization_name": filing.organization.name,
        "products": products_text(data.get("products") or []),
        "purpose": str(data.get("disclosure_purpose") or ""),
        "filing_number": filing.filing_number or "",
        "province_code": filing.province_code,
        "disclosure": {key: str(data.get(key) or "") for key in DISCLOSURE_KEYS},
        "state": state_of(filing),
    }


def state_of(filing: Filing) -> str:
    return STATE_OF.get(FilingStatus(filing.status), PublicState.ACTIVE)


def listing_publish(*, filing: Filing) -> PublicListing:
    """Create (or refresh) the listing of a filing that is being published."""
    today = timezone.localdate()
    columns = public_columns(filing)
    listing, _created = PublicListing.objects.update_or_create(
        filing=filing, defaults=columns, create_defaults={**columns, "published_on": today, "changed_on": today}
    )
    return listing


def listing_refresh(*, filing: Filing, remark: str = "") -> None:
    """After an approved change or the end of a published filing: new columns, a remark, today's date.

    Filings never published have no listing and are left alone.
    """
    listing = PublicListing.objects.filter(filing=filing).first()
    if listing is None:
        return
    if not filing.imported:
        for key, value in public_columns(filing).items():
            setattr(listing, key, value)
    listing.state = state_of(filing)
    ended = ENDED_REMARK.get(FilingStatus(filing.status))
    additions = [note for note in (remark, ended) if note and note not in listing.remarks]
    if additions:
        listing.remarks = "；".join(filter(None, [listing.remarks, *additions]))
    listing.changed_on = timezone.localdate()
    listing.save()


def on_organization_changed(sender: Any, *, organization: Any, fields: list[str], **kwargs: Any) -> None:
    """An approved change of the entity's name shows in its published listings, and the remarks keep
    the name it was published under (one UPDATE)."""
    if "name" not in fields:
        return
    today = timezone.localdate()
    earlier = Concat(Value("主体原名称："), F("organization_name"))
    PublicListing.objects.filter(filing__organization=organization).exclude(organization_name=organization.name).update(
        organization_name=organization.name,
        remarks=Case(
            When(remarks="", then=earlier),
            default=Concat(F("remarks"), Value("；"), earlier),
            output_field=CharField(),
        ),
        changed_on=today,
    )


def connect() -> None:
    from accounts import signals

    signals.organization_changed.connect(on_organization_changed, dispatch_uid="filings.on_organization_changed")
