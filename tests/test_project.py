"""Project-level guarantees: settings, translations, demo data."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Organization, User
from config.env import BASE_DIR
from config.i18n import check as translations_check


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_every_message_has_a_chinese_translation():
    assert translations_check() == 0


def test_env_example_lists_every_variable_the_settings_read():
    import re

    example = (BASE_DIR / ".env.example").read_text()
    read = set()
    for path in list((BASE_DIR / "config").rglob("*.py")):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
    missing = sorted(name for name in read if f"{name}=" not in example)
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("auto_assign", [True, False])
def test_seed_demo_is_idempotent_and_creates_the_contract_accounts(settings, auto_assign):
    settings.DEBUG = True
    settings.BEIAN = {**settings.BEIAN, "AUTO_ASSIGN": auto_assign}
    call_command("seed_demo")
    call_command("seed_demo")
    expected = {
        "provider_bj",
        "provider_gd",
        "reviewer_bj",
        "reviewer_bj2",
        "reviewer_gd",
        "reviewer_gd2",
        "central_1",
        "central_2",
        "central_3",
        "supervisor",
        "supervisor_gd",
        "admin",
    }
    assert expected <= set(User.objects.values_list("username", flat=True))
    statuses = set(Organization.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "approved"}
    bj = Organization.objects.get(members__username="provider_bj")
    assert (bj.registered_division_code, bj.status) == ("110108", "approved")
    gd = Organization.objects.get(members__username="provider_gd")
    assert (gd.registered_division_code, gd.status) == ("440305", "approved")
    assert User.objects.get(username="provider_bj").check_password(settings.DEMO_PASSWORD)
    from filings.models import Filing

    filing_statuses = set(Filing.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "approved", "published", "cancelled"} <= filing_statuses
    assert Filing.objects.filter(status="approved").exclude(filing_number=None).exists()
    # a re-assessment waiting for the provider, and a reported end of service
    from filings.models import Reassessment

    assert Reassessment.objects.filter(status="open").count() == 1
    assert Filing.objects.exclude(cancellation_due=None).exists()


@pytest.mark.django_db
def test_seed_demo_after_the_import_of_cacs_lists_still_seeds_every_state(settings):
    """`make run` imports the published lists before the demo data."""
    from filings.models import Filing
    from tests.factories import CAC_SAMPLE

    settings.DEBUG = True
    call_command("import_published_lists", "--dir", str(CAC_SAMPLE))
    imported = Filing.objects.count()
    assert imported > 0
    call_command("seed_demo")
    made_here = set(Filing.objects.filter(imported=False).values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "approved", "published", "cancelled"} <= made_here
    assert Filing.objects.filter(imported=True).count() == imported


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


ACTIONS = [
    "filing.created",
    "filing.attachment_added",
    "filing.submitted",
    "filing.approved",
    "filing.returned",
    "filing.rejected",
    "filing.withdrawn",
    "filing.published",
    "filing.cancelled",
    "filing.change_opened",
    "filing.change_submitted",
    "filing.change_withdrawn",
    "filing.change_approved",
    "filing.change_returned",
    "filing.change_rejected",
    "filing.cancellation_requested",
    "filing.cancellation_withdrawn",
    "filing.cancellation_approved",
    "filing.cancellation_rejected",
    "filing.correction_overdue_reject",
    "filing.correction_overdue_return_for_correction",
    "filing.regulator_revoke",
    "filing.regulator_cancel",
    "filing.tier_overridden",
    "filing.tier_override_lifted",
    "filing.retiered",
    "filing.service_end_reported",
    "filing.reassessment_opened",
    "filing.reassessment_submitted",
    "filing.reassessment_approved",
    "filing.reassessment_returned",
    "filing.reassessment_rejected",
    "filing.reassessment_overdue",
    "review_task.claimed",
    "review_task.released",
    "review_task.decided",
    "review_task.closed",
    "review_task.assigned",
    "review_task.reassigned",
    "review_task.voted",
    "tier_policy.created",
    "job.started",
    "filing.imported",
    "batch.opened",
    "batch.published",
    "notice.published",
    "filing.objection_received",
    "filing.objection_upheld",
    "filing.objection_dismissed",
    "export.downloaded",
    "organization.claimed",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_audit_action_has_a_translated_label(action):
    from django.utils.translation import override

    from accounts.audit_labels import action_label

    with override("zh-hans"):
        label = action_label(action)
    assert label != action and not label.isascii()
