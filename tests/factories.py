"""Builders for test data. Organisations are made through the services, so they are realistic."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import factory
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.demo import sample_upload
from accounts.models import Organization, User
from accounts.roles import Role
from accounts.services.organizations import organization_attachment_add, organization_create, organization_submit
from accounts.services.staff import staff_create
from supervision.models import ReviewTask
from supervision.services.review import task_claim, task_decide

PASSWORD = "correct-horse-battery-staple"
_org_counter = iter(range(1, 10_000))


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


# A small extract of CAC's published lists (tests/filings/data) and one number in it.
CAC_SAMPLE = Path(__file__).parent / "filings" / "data"
NETEASE_PUSH = "网信算备110101135224302220011号"  # 北京网易传媒有限公司, Beijing Dongcheng


def make_user(**kwargs: Any) -> User:
    """A provider account (verified e-mail, known password) with no organisation."""
    return cast(User, UserFactory(**kwargs))


def make_uscc(region: str, n: int) -> str:
    body = f"91{region}" + f"MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def make_resident_id(region: str = "110108", birth: str = "19920101", serial: str = "123") -> str:
    first17 = f"{region}{birth}{serial}"
    return first17 + ric.calc_check_digit(first17 + "0")


def complete_data(division: str = "110108", **overrides: Any) -> dict[str, Any]:
    n = next(_org_counter)
    data: dict[str, Any] = {
        "name": f"测试科技有限公司{n}",
        "uscc": make_uscc(division, n),
        "entity_type": "enterprise",
        "registered_division_code": division,
        "address": "北京市海淀区中关村大街1号",
        "website": "https://example.cn",
        "monthly_active_users": 250_000,
        "legal_rep_name": "张三",
        "legal_rep_id_type": "resident_id",
        "legal_rep_id_number": make_resident_id("110108"),
        "security_officer_name": "李四",
        "security_officer_id_type": "resident_id",
        "security_officer_id_number": make_resident_id("110105", serial="456"),
        "security_officer_mobile": "13800138000",
        "security_officer_email": "security@example.cn",
    }
    data.update(overrides)
    return data


def make_staff(username: str, role: str, office_code: str | None) -> User:
    return staff_create(
        username=username, email=f"{username}@beian.example", password=PASSWORD, role=role, office_code=office_code
    )


def make_draft(user: User | None = None, division: str = "110108", **overrides: Any) -> Organization:
    user = user or make_user()
    return organization_create(actor=user, data=complete_data(division, **overrides))


def add_documents(organization: Organization, user: User) -> None:
    for kind in ("business_licence", "commitment_letter"):
        organization_attachment_add(
            organization_id=organization.pk, actor=user, kind=kind, upload=sample_upload(f"{kind}.pdf")
        )


def make_submitted(user: User | None = None, division: str = "110108") -> Organization:
    user = user or make_user()
    organization = make_draft(user, division)
    add_documents(organization, user)
    return organization_submit(organization_id=organization.pk, actor=user)


def open_task(organization: Organization, subject_type: str = "organization") -> ReviewTask:
    return ReviewTask.objects.get(subject_type=subject_type, subject_id=organization.pk, status__in=["open", "claimed"])


def make_approved(user: User | None = None, division: str = "110108", reviewer: User | None = None) -> Organization:
    user = user or make_user()
    organization = make_submitted(user, division)
    office_code = f"{division[:2]}0000"
    reviewer = reviewer or make_staff(f"rev{organization.pk}", Role.REVIEWER, office_code)
    task = open_task(organization)
    task_claim(task_id=task.pk, actor=reviewer)
    task_decide(task_id=task.pk, actor=reviewer, decision="approve")
    organization.refresh_from_db()
    return organization


def filing_data(**overrides: Any) -> dict[str, Any]:
    """A complete algorithm filing of a service provider (valid for submission)."""
    data: dict[str, Any] = {
        "name": "资讯个性化推荐算法",
        "algorithm_type": "personalized_push",
        "role": "service_provider",
        "launch_date": "2026-02-10",
        "application_field": "新闻资讯",
        "introduction": "根据用户兴趣推荐资讯。",
        "scenarios": "首页信息流。",
        "input_modalities": ["text", "behaviour"],
        "output_modalities": ["text"],
        "models_and_datasets": "双塔召回模型；训练数据为脱敏点击日志。",
        "strategy": "召回、粗排、精排、重排。",
        "risks_and_safeguards": "信息茧房风险；提供关闭个性化推荐的选项。",
        "products": [
            {
                "name": "某某资讯",
                "service_form": "app",
                "url": "https://news.example.cn",
                "service_status": "online",
                "audience": "public",
                "real_name_required": "yes",
                "prior_licence": "",
                "access_path": "首页-推荐",
                "functions": "个性化推荐：根据兴趣排序资讯",
            }
        ],
        # Tier 1 under the default policy (3 points): the review tests set the factors they need.
        "public_opinion_features": ["information_sharing"],
        "public_opinion": "yes",
        "content_category": "tools",
        "monthly_active_users": 50_000,
        "data_importance": "general",
        "intervention_level": "low",
        "disclosure_principle": "基于用户行为的协同过滤。",
        "disclosure_mechanism": "召回、排序、展示。",
        "disclosure_scenarios": "资讯首页推荐。",
        "disclosure_purpose": "帮助用户发现感兴趣的资讯。",
        "commitment_confirmed": "yes",
    }
    data.update(overrides)
    return data


def add_filing_documents(filing_id: int, user: User) -> None:
    from filings.services.drafts import filing_attachment_add

    for kind in ("self_assessment_report", "commitment"):
        filing_attachment_add(filing_id=filing_id, actor=user, kind=kind, upload=sample_upload(f"{kind}.pdf"))


def make_filing_draft(user: User, **overrides: Any) -> Any:
    from filings.services.drafts import filing_create

    return filing_create(actor=user, data=filing_data(**overrides)).filing


def make_filing_submitted(user: User, **overrides: Any) -> Any:
    from filings.services.submission import filing_submit

    filing = make_filing_draft(user, **overrides)
    add_filing_documents(filing.pk, user)
    return filing_submit(filing_id=filing.pk, actor=user)


def make_filing_approved(user: User, reviewer: User, **overrides: Any) -> Any:
    """Submitted and approved through every stage of its tier (``reviewer`` takes the first)."""
    from supervision.walkthrough import decide_all_stages

    filing = make_filing_submitted(user, **overrides)
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status="open")
    task_claim(task_id=task.pk, actor=reviewer)
    decide_all_stages(subject_type="filing", subject_id=filing.pk, decision="approve")
    filing.refresh_from_db()
    return filing


def rename_organization(organization_id: int, provider: User, reviewer: User, name: str) -> None:
    """The provider reports a new entity name; the province's reviewer approves it."""
    import datetime

    from accounts.services.changes import organization_change_decide, organization_change_submit

    change = organization_change_submit(
        organization_id=organization_id,
        actor=provider,
        data={"name": name},
        summary="更名",
        change_date=datetime.date(2026, 11, 20),
    )
    task = ReviewTask.objects.get(subject_type="organization_change", subject_id=change.pk, status="open")
    task_claim(task_id=task.pk, actor=reviewer)
    organization_change_decide(change_id=change.pk, actor=reviewer, decision="approve")


def publish_batch(supervisor: User, series: str = "algorithm", filing_ids: list[int] | None = None) -> Any:
    """The central office assembles the list's next batch (every waiting filing, or these) and publishes it."""
    from filings.services import batches

    batch = batches.batch_open(actor=supervisor, series=series)
    batches.batch_add(batch_id=batch.pk, actor=supervisor, filing_ids=filing_ids)
    return batches.batch_publish(batch_id=batch.pk, actor=supervisor)


def make_filing_published(provider: User, reviewer: User, supervisor: User, **overrides: Any) -> Any:
    """An approved filing published in a batch of its own."""
    from filings.services.listing import series_of

    filing = make_filing_approved(provider, reviewer, **overrides)
    publish_batch(supervisor, series=series_of(filing), filing_ids=[filing.pk])
    filing.refresh_from_db()
    return filing
