import hashlib

import pytest
from django.utils import translation

from accounts.demo import sample_pdf_bytes, sample_png_bytes, sample_upload
from accounts.errors import ValidationFailed
from accounts.models import OrganizationAttachment
from accounts.services.organizations import organization_attachment_add
from tests.conftest import web_as
from tests.factories import make_draft

pytestmark = pytest.mark.usefixtures("reference_data")


def _files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_pdf_is_stored_with_its_sha256(newcomer, settings):
    org = make_draft(newcomer)
    content = sample_pdf_bytes()
    attachment = organization_attachment_add(
        organization_id=org.pk, actor=newcomer, kind="business_licence", upload=sample_upload("营业执照.pdf", content)
    )
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.content_type, attachment.size, attachment.original_name) == (
        "application/pdf",
        len(content),
        "营业执照.pdf",
    )
    assert len(_files(settings)) == 1
    # The stored name is random, not the user's file name.
    assert "营业执照" not in str(attachment.file.name)


def test_the_type_is_judged_by_content_not_by_name(newcomer):
    org = make_draft(newcomer)
    # A real PNG named .pdf is accepted as a PNG.
    attachment = organization_attachment_add(
        organization_id=org.pk,
        actor=newcomer,
        kind="commitment_letter",
        upload=sample_upload("x.pdf", sample_png_bytes()),
    )
    assert attachment.content_type == "image/png"


@pytest.mark.parametrize(
    ("_case", "content", "fragment"),
    [
        ("text named .pdf", b"just some text, not a PDF", "PDF, JPG and PNG"),
        ("empty", b"", "empty"),
        ("damaged PDF", b"%PDF-1.7\n garbage without pages", "damaged"),
        ("truncated PNG", sample_png_bytes()[:20], "damaged"),
        ("an executable", b"MZ\x90\x00" + b"\x00" * 100, "PDF, JPG and PNG"),
    ],
)
def test_rejected_files_leave_nothing_behind(_case, content, fragment, newcomer, settings):
    org = make_draft(newcomer)
    version = org.version
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        organization_attachment_add(
            organization_id=org.pk, actor=newcomer, kind="business_licence", upload=sample_upload("a.pdf", content)
        )
    assert fragment in exc.value.errors["file"][0]
    assert not OrganizationAttachment.objects.exists()
    assert _files(settings) == []
    org.refresh_from_db()
    assert org.version == version


def test_files_over_the_size_cap_are_refused(newcomer, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    org = make_draft(newcomer)
    big = sample_pdf_bytes() + b"%" * 2048
    with pytest.raises(ValidationFailed) as exc:
        organization_attachment_add(
            organization_id=org.pk, actor=newcomer, kind="business_licence", upload=sample_upload("big.pdf", big)
        )
    assert "MB" in exc.value.errors["file"][0]
    assert _files(settings) == []


def test_a_failure_after_storing_removes_the_file(newcomer, settings, monkeypatch):
    org = make_draft(newcomer)

    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("accounts.services.organizations.audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        organization_attachment_add(
            organization_id=org.pk, actor=newcomer, kind="business_licence", upload=sample_upload()
        )
    assert _files(settings) == []
    assert not OrganizationAttachment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("provider_a", 200),
        ("provider_b", 404),
        ("reviewer_bj", 200),
        ("reviewer_gd", 404),
        ("central_reviewer", 200),
        ("supervisor", 200),
        ("anonymous", 302),
    ],
    indirect=["persona"],
)
def test_documents_are_served_only_to_who_may_see_them(persona, expected, org_a):
    attachment = org_a.attachments.first()
    response = web_as(persona).get(f"/organizations/{org_a.pk}/attachments/{attachment.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.getvalue().startswith(b"%PDF-")
