"""`manage.py seed_demo`: the demo accounts of the API contract and organisations in every state.

Idempotent: what exists is left alone. Everything is created through the services, so the demo
has the same audit trail, tasks and notifications real use would produce.
"""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from stdnum.cn import ric, uscc

from accounts.demo import sample_upload
from accounts.models import Organization, User
from accounts.reference import CENTRAL_OFFICE_CODE, ensure_reference_data
from accounts.roles import Role
from accounts.services.organizations import organization_attachment_add, organization_create, organization_submit
from accounts.services.staff import staff_create
from accounts.services.users import email_verification_token, user_signup, user_verify_email
from filings.models import Filing
from supervision.demo_filings import seed_filings
from supervision.walkthrough import decide_all_stages

STAFF: tuple[tuple[str, str, str | None], ...] = (
    ("reviewer_bj", Role.REVIEWER, "110000"),
    ("reviewer_bj2", Role.REVIEWER, "110000"),
    ("reviewer_gd", Role.REVIEWER, "440000"),
    ("reviewer_gd2", Role.REVIEWER, "440000"),
    ("central_1", Role.SENIOR_REVIEWER, CENTRAL_OFFICE_CODE),
    ("central_2", Role.SENIOR_REVIEWER, CENTRAL_OFFICE_CODE),
    ("central_3", Role.SENIOR_REVIEWER, CENTRAL_OFFICE_CODE),
    ("supervisor", Role.SUPERVISOR, CENTRAL_OFFICE_CODE),
    ("supervisor_gd", Role.SUPERVISOR, "440000"),
    ("admin", Role.SYSADMIN, None),
)


def _uscc(first8: str, org_code: str) -> str:
    return first8 + org_code + uscc.calc_check_digit(first8 + org_code)


def _resident_id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@dataclass(frozen=True)
class DemoOrganization:
    username: str
    state: str  # draft | submitted | returned | approved
    reviewer: str | None
    data: dict[str, Any] = field(default_factory=dict)


def _org(name: str, address: str, division: str, org_code: str, person: str, mobile: str) -> dict[str, Any]:
    return {
        "name": name,
        "uscc": _uscc(f"91{division[:4]}00", org_code),
        "entity_type": "enterprise",
        "registered_division_code": division,
        "address": address,
        "website": "https://www.example.cn",
        "monthly_active_users": 1_200_000,
        "legal_rep_name": person,
        "legal_rep_id_type": "resident_id",
        "legal_rep_id_number": _resident_id(f"{division}19920101123"),
        "security_officer_name": person[:1] + "安全",
        "security_officer_id_type": "resident_id",
        "security_officer_id_number": _resident_id(f"{division}19900307456"),
        "security_officer_mobile": mobile,
        "security_officer_email": "security@example.cn",
    }


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        "provider_bj",
        "approved",
        "reviewer_bj",
        _org("北京智询科技有限公司", "北京市海淀区中关村大街1号", "110108", "MA01XK3P0", "张明", "13800000001"),
    ),
    DemoOrganization(
        "provider_gd",
        "approved",
        "reviewer_gd",
        _org("深圳云图智能科技有限公司", "深圳市南山区科技园南区8号", "440305", "MA5FW2K10", "李华", "13800000002"),
    ),
    DemoOrganization(
        "provider_sub",
        "submitted",
        None,
        _org("北京晨曦传媒有限公司", "北京市朝阳区建国路88号", "110105", "MA02B7N41", "王芳", "13800000003"),
    ),
    DemoOrganization(
        "provider_ret",
        "returned",
        "reviewer_gd2",
        _org("广州南风网络科技有限公司", "广州市天河区天河路385号", "440106", "MA59QH8T2", "陈强", "13800000004"),
    ),
    DemoOrganization(
        "provider_draft",
        "draft",
        None,
        {"name": "上海星河数据有限公司", "registered_division_code": "310104"},
    ),
)


class Command(BaseCommand):
    help = "Create the demo accounts and organisations (idempotent; refuses when DEBUG is off)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo creates accounts with a known password; refusing with DEBUG off (--force).")
        password = settings.DEMO_PASSWORD
        ensure_reference_data()
        for username, role, office in STAFF:
            if not User.objects.filter(username=username).exists():
                staff_create(
                    username=username,
                    email=f"{username}@beian.example",
                    password=password,
                    role=role,
                    office_code=office,
                )
        for demo in ORGANIZATIONS:
            if not User.objects.filter(username=demo.username).exists():
                # All or nothing per organisation, so a failed run can simply be repeated.
                with transaction.atomic():
                    self._organization(demo, password)
        with transaction.atomic():
            self._member(password)
        # `make run` imports CAC's published lists first: only filings made here mean "already seeded".
        if not Filing.objects.filter(imported=False).exists():
            with transaction.atomic():
                seed_filings()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _provider(self, username: str, password: str) -> User:
        user = user_signup(username=username, email=f"{username}@example.cn", password=password)
        user_verify_email(user=user, token=email_verification_token.make_token(user))
        user.refresh_from_db()
        return user

    def _organization(self, demo: DemoOrganization, password: str) -> None:
        user = self._provider(demo.username, password)
        organization = organization_create(actor=user, data=demo.data)
        if demo.state == "draft":
            return
        for kind in ("business_licence", "commitment_letter"):
            organization_attachment_add(
                organization_id=organization.pk, actor=user, kind=kind, upload=sample_upload(f"{kind}.pdf")
            )
        organization_submit(organization_id=organization.pk, actor=user)
        if demo.reviewer is None:
            return
        # Whoever holds the task (automatic assignment may have given it to anyone eligible) decides.
        if demo.state == "approved":
            decide_all_stages(subject_type="organization", subject_id=organization.pk, decision="approve")
        else:
            decide_all_stages(
                subject_type="organization",
                subject_id=organization.pk,
                decision="return",
                reasons="营业执照扫描件不清晰，请重新上传加盖公章的清晰扫描件。",
            )

    def _member(self, password: str) -> None:
        """A second member of the Beijing organisation (provider_member)."""
        if User.objects.filter(username="provider_bj_member").exists():
            return
        from accounts.services.members import invitation_accept, invitation_create

        admin = User.objects.get(username="provider_bj")
        organization = Organization.objects.get(id=admin.organization_id)
        member = self._provider("provider_bj_member", password)
        _invitation, token = invitation_create(
            organization_id=organization.pk, actor=admin, email=member.email, role=Role.PROVIDER_MEMBER
        )
        invitation_accept(token=token, user=member)
