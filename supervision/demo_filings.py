"""Demo algorithm filings in every state, made through the services (used by ``seed_demo``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.demo import sample_upload
from accounts.models import User
from filings.models import Filing
from filings.services.batches import batch_add, batch_open, batch_publish
from filings.services.changes import filing_cancel_request, filing_change_open, filing_service_end_report
from filings.services.drafts import filing_attachment_add, filing_create, filing_save
from filings.services.reassessments import reassessments_open
from filings.services.submission import filing_submit
from filings.workflow import ReassessmentReason
from supervision.walkthrough import decide_all_stages


def _data(name: str, algorithm_type: str, launch: datetime.date, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "algorithm_type": algorithm_type,
        "role": "service_provider",
        "launch_date": launch.isoformat(),
        "application_field": "新闻资讯",
        "introduction": f"{name}根据用户的兴趣与行为为其提供个性化的信息服务。",
        "scenarios": "应用首页信息流与相关推荐。",
        "input_modalities": ["text", "behaviour"],
        "output_modalities": ["text", "image"],
        "models_and_datasets": "深度学习排序模型；训练数据为经脱敏处理的用户行为日志。",
        "strategy": "多路召回、粗排、精排与重排，并进行多样性打散。",
        "risks_and_safeguards": "存在信息茧房风险；提供关闭个性化推荐的选项，并设置人工审核与内容安全过滤。",
        "products": [
            {
                "name": "智询资讯",
                "service_form": "app",
                "url": "https://www.example.cn/app",
                "service_status": "online",
                "audience": "public",
                "real_name_required": "yes",
                "prior_licence": "",
                "access_path": "首页-推荐频道",
                "functions": "个性化推荐：根据兴趣对资讯排序\n相关推荐：在资讯详情页推荐相关内容",
            }
        ],
        "public_opinion_features": ["information_sharing"],
        "public_opinion": "yes",
        "content_category": "news",
        "monthly_active_users": 1_200_000,
        "data_importance": "general",
        "intervention_level": "medium",
        "disclosure_principle": "基于用户历史行为与内容特征计算用户对资讯的兴趣程度。",
        "disclosure_mechanism": "通过召回、排序、过滤与展示等环节生成推荐结果。",
        "disclosure_scenarios": "应用首页的资讯推荐。",
        "disclosure_purpose": "帮助用户更高效地获取感兴趣的资讯。",
        "commitment_confirmed": "yes",
    }
    data.update(overrides)
    return data


def _submitted(user: User, data: dict[str, Any]) -> Filing:
    filing = filing_create(actor=user, data=data).filing
    for kind in ("self_assessment_report", "commitment"):
        filing_attachment_add(filing_id=filing.pk, actor=user, kind=kind, upload=sample_upload(f"{kind}.pdf"))
    return filing_submit(filing_id=filing.pk, actor=user)


def _decide(subject_type: str, subject_id: int, decision: str, reasons: str = "") -> None:
    """Through every stage of the subject's tier, by whoever holds each task or is eligible."""
    decide_all_stages(subject_type=subject_type, subject_id=subject_id, decision=decision, reasons=reasons)


def seed_filings() -> None:
    today = timezone.localdate()
    bj, gd = User.objects.get(username="provider_bj"), User.objects.get(username="provider_gd")
    supervisor = User.objects.get(username="supervisor")
    recent = today - datetime.timedelta(days=5)

    # Beijing: one filing in every state.
    draft = filing_create(actor=bj, data={"name": "智询搜索排序算法", "algorithm_type": "sorting_selection"}).filing
    filing_save(filing_id=draft.pk, actor=bj, data={"role": "service_provider", "launch_date": recent.isoformat()})
    _submitted(bj, _data("智询资讯推荐算法", "personalized_push", recent))
    returned = _submitted(bj, _data("智询内容安全过滤算法", "retrieval_filtering", recent, filtering="yes"))
    _decide("filing", returned.pk, "return", "请补充训练数据来源说明及内容安全策略。")
    approved = _submitted(bj, _data("智询热榜排序算法", "sorting_selection", recent - datetime.timedelta(days=40)))
    _decide("filing", approved.pk, "approve")
    filing_service_end_report(filing_id=approved.pk, actor=bj, end_date=today + datetime.timedelta(days=14))
    published = _submitted(bj, _data("智询个性化推送算法", "personalized_push", recent - datetime.timedelta(days=60)))
    _decide("filing", published.pk, "approve")
    # Published in the next batch of the algorithm list, as the central office does.
    batch = batch_open(actor=supervisor, series="algorithm")
    batch_add(batch_id=batch.pk, actor=supervisor, filing_ids=[published.pk])
    batch_publish(batch_id=batch.pk, actor=supervisor)
    # Its periodic re-assessment has come round: a case waits for the updated self-assessment.
    reassessments_open(filing_ids=[published.pk], reason=ReassessmentReason.PERIODIC)
    ended = _submitted(bj, _data("智询语音合成算法", "generation_synthesis", recent - datetime.timedelta(days=90)))
    _decide("filing", ended.pk, "approve")
    cancellation = filing_cancel_request(
        filing_id=ended.pk, actor=bj, termination_date=recent, arrangements="已通知用户并删除相关数据。"
    )
    _decide("cancellation", cancellation.pk, "approve")

    # Guangdong: a filed algorithm with a change under review.
    gd_filing = _submitted(gd, _data("云图智能调度算法", "scheduling_decision", recent - datetime.timedelta(days=30)))
    _decide("filing", gd_filing.pk, "approve")
    filing_change_open(filing_id=gd_filing.pk, actor=gd, change_date=recent, summary="新增小程序产品")
    filing_save(filing_id=gd_filing.pk, actor=gd, data={"application_field": "即时配送与出行"})
    filing_submit(filing_id=gd_filing.pk, actor=gd)
