import pytest
from django.db import transaction
from guardian.shortcuts import get_perms

from accounts.demo import sample_upload
from accounts.errors import ActionForbidden, Conflict, StaleVersion, ValidationFailed
from accounts.models import AuditEvent, Notification, Organization, OrganizationStatus
from accounts.roles import user_roles
from accounts.services.organizations import (
    organization_attachment_add,
    organization_create,
    organization_submit,
    organization_update,
)
from supervision.models import ReviewTask
from tests.factories import add_documents, complete_data, make_draft, make_user

pytestmark = pytest.mark.usefixtures("reference_data")


def test_creating_an_organisation_makes_the_creator_its_administrator(newcomer):
    # when
    org = organization_create(actor=newcomer, data=complete_data("440305"))
    # then
    newcomer.refresh_from_db()
    assert org.status == OrganizationStatus.DRAFT
    assert org.office is not None
    assert (org.province_code, org.office.code) == ("44", "440000")
    assert newcomer.organization_id == org.pk
    assert "provider_admin" in user_roles(newcomer)
    assert set(get_perms(newcomer, org)) >= {"change_organization", "submit_organization", "administer_organization"}
    assert AuditEvent.objects.filter(action="organization.created", subject_id=org.pk).exists()


def test_a_draft_may_be_incomplete_but_fields_given_must_be_valid(newcomer):
    org = organization_create(actor=newcomer, data={"name": "草稿公司"})
    assert org.uscc == ""
    other = make_user()
    with pytest.raises(ValidationFailed) as exc:
        organization_create(actor=other, data={"name": "X", "uscc": "123", "registered_division_code": "999999"})
    assert set(exc.value.errors) == {"uscc", "registered_division_code"}
    assert not Organization.objects.filter(created_by=other).exists()


def test_a_credit_code_is_registered_once(newcomer):
    data = complete_data()
    organization_create(actor=newcomer, data=data)
    with pytest.raises(ValidationFailed) as exc:
        organization_create(actor=make_user(), data=complete_data(uscc=data["uscc"]))
    assert "uscc" in exc.value.errors


def test_update_keeps_omitted_id_numbers_and_refuses_masked_ones(newcomer):
    org = make_draft(newcomer)
    stored = org.legal_rep_id_number
    updated = organization_update(organization_id=org.pk, actor=newcomer, data={"address": "新地址"})
    assert (updated.address, updated.legal_rep_id_number) == ("新地址", stored)
    with pytest.raises(ValidationFailed) as exc:
        organization_update(organization_id=org.pk, actor=newcomer, data={"legal_rep_id_number": "1101**********1237"})
    assert "legal_rep_id_number" in exc.value.errors
    org.refresh_from_db()
    assert org.legal_rep_id_number == stored


def test_a_stale_version_is_a_conflict_and_changes_nothing(newcomer):
    org = make_draft(newcomer)
    organization_update(
        organization_id=org.pk, actor=newcomer, data={"address": "第一次"}, expected_version=org.version
    )
    with pytest.raises(StaleVersion):
        organization_update(
            organization_id=org.pk, actor=newcomer, data={"address": "旧页面"}, expected_version=org.version
        )
    org.refresh_from_db()
    assert org.address == "第一次"


def test_another_provider_cannot_edit_or_submit(newcomer):
    org = make_draft(newcomer)
    outsider = make_user()
    before = org.version
    with pytest.raises(ActionForbidden):
        organization_update(organization_id=org.pk, actor=outsider, data={"address": "x"})
    with pytest.raises(ActionForbidden):
        organization_submit(organization_id=org.pk, actor=outsider)
    org.refresh_from_db()
    assert (org.version, org.status) == (before, OrganizationStatus.DRAFT)


def test_submission_lists_every_missing_item_at_once(newcomer):
    # given a draft with only a name and an unverified e-mail
    newcomer.email_verified_at = None
    newcomer.save()
    org = organization_create(actor=newcomer, data={"name": "只有名字"})
    # when
    with pytest.raises(ValidationFailed) as exc:
        organization_submit(organization_id=org.pk, actor=newcomer)
    # then
    errors = exc.value.errors
    assert {
        "uscc",
        "entity_type",
        "registered_division_code",
        "monthly_active_users",
        "security_officer_mobile",
        "attachments.business_licence",
        "attachments.commitment_letter",
        "non_field_errors",
    } <= set(errors)
    assert "website" not in errors  # optional
    org.refresh_from_db()
    assert org.status == OrganizationStatus.DRAFT
    assert not ReviewTask.objects.exists()


def test_submission_routes_to_the_province_and_notifies_after_commit(newcomer, django_capture_on_commit_callbacks):
    org = make_draft(newcomer, "440305")
    add_documents(org, newcomer)
    with django_capture_on_commit_callbacks() as callbacks:
        organization_submit(organization_id=org.pk, actor=newcomer)
    org.refresh_from_db()
    assert org.status == OrganizationStatus.SUBMITTED
    task = ReviewTask.objects.get(subject_type="organization", subject_id=org.pk)
    assert (task.office.code, task.province_code, task.status, task.stage) == (
        "440000",
        "44",
        "open",
        "provincial_review",
    )
    assert Notification.objects.filter(recipient=newcomer).count() == 1
    assert len(callbacks) == 1  # the e-mail is queued only after commit


def test_submitting_twice_is_a_conflict(newcomer):
    org = make_draft(newcomer)
    add_documents(org, newcomer)
    organization_submit(organization_id=org.pk, actor=newcomer)
    with pytest.raises(Conflict):
        organization_submit(organization_id=org.pk, actor=newcomer)
    assert ReviewTask.objects.filter(subject_id=org.pk).count() == 1


def test_submitted_organisations_cannot_be_edited(newcomer):
    org = make_draft(newcomer)
    add_documents(org, newcomer)
    organization_submit(organization_id=org.pk, actor=newcomer)
    with pytest.raises(Conflict):
        organization_update(organization_id=org.pk, actor=newcomer, data={"name": "改名"})
    with pytest.raises(Conflict):
        organization_attachment_add(
            organization_id=org.pk, actor=newcomer, kind="business_licence", upload=sample_upload()
        )
    org.refresh_from_db()
    assert org.name != "改名"


def test_audit_events_are_append_only(newcomer):
    org = make_draft(newcomer)
    event = AuditEvent.objects.filter(subject_id=org.pk).get(action="organization.created")
    from django.db.utils import ProgrammingError

    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(id=event.id).update(action="tampered")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(id=event.id).delete()
    event.refresh_from_db()
    assert event.action == "organization.created"


def test_audit_payloads_never_hold_id_numbers():
    from accounts.services.audit import audit_record

    with pytest.raises(ValueError, match="id_number"):
        audit_record(action="x", subject_type="x", subject_id=1, payload={"legal_rep_id_number": "1"})


def test_a_new_entity_id_skips_one_already_held_by_an_imported_entity(reference_data):
    from django.db import connection

    from accounts.services.organizations import next_entity_id

    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM accounts_entity_id_seq")
        last, called = cursor.fetchone()
    upcoming = (last + 1) if called else last
    taken = str((upcoming * 7_919 + 3_141_592) % 9_000_000 + 1_000_000)
    Organization.objects.create(
        name="导入的主体", entity_id=taken, imported=True, province_code="11", created_by=make_user()
    )
    assert next_entity_id() != taken
