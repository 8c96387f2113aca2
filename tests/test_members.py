import pytest

from accounts.errors import ActionForbidden, Conflict
from accounts.models import Invitation, Notification, User
from accounts.roles import user_roles
from accounts.services.members import admin_hand_over, invitation_accept, invitation_create, member_remove
from tests.conftest import web_as
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("reference_data")


def test_an_invited_person_signs_up_through_the_link_and_joins(provider_a, org_a):
    # given
    _invitation, token = invitation_create(
        organization_id=org_a.pk, actor=provider_a, email="colleague@example.cn", role="provider_member"
    )
    body = Notification.objects.get(to_email="colleague@example.cn").body
    assert f"/accounts/invitations/{token}/" in body
    # when
    response = web_as(None).post(
        f"/accounts/invitations/{token}/", {"username": "colleague", "password": "a-long-password-1"}
    )
    # then
    assert response.status_code == 302
    colleague = User.objects.get(username="colleague")
    assert colleague.organization_id == org_a.pk
    assert user_roles(colleague) == {"provider_member"}
    assert colleague.email_verified_at is not None  # the link proved the address
    assert colleague.has_perm("accounts.view_organization", org_a)
    assert not colleague.has_perm("accounts.administer_organization", org_a)
    assert web_as(None).get(f"/accounts/invitations/{token}/").status_code == 410  # used once


def test_only_administrators_invite(provider_a, org_a, provider_b):
    member = make_user()
    _i, token = invitation_create(
        organization_id=org_a.pk, actor=provider_a, email=member.email, role="provider_member"
    )
    invitation_accept(token=token, user=member)
    with pytest.raises(ActionForbidden):
        invitation_create(organization_id=org_a.pk, actor=member, email="x@example.cn", role="provider_member")
    with pytest.raises(ActionForbidden):
        invitation_create(organization_id=org_a.pk, actor=provider_b, email="y@example.cn", role="provider_member")
    assert Invitation.objects.filter(organization=org_a).count() == 1


def test_hand_over_and_remove(provider_a, org_a):
    member = make_user()
    _i, token = invitation_create(
        organization_id=org_a.pk, actor=provider_a, email=member.email, role="provider_member"
    )
    invitation_accept(token=token, user=member)
    with pytest.raises(Conflict):
        member_remove(organization_id=org_a.pk, actor=provider_a, user_id=provider_a.pk)
    admin_hand_over(organization_id=org_a.pk, actor=provider_a, user_id=member.pk)
    provider_a, member = User.objects.get(id=provider_a.pk), User.objects.get(id=member.pk)
    assert user_roles(member) == {"provider_admin"} and user_roles(provider_a) == {"provider_member"}
    assert member.has_perm("accounts.administer_organization", org_a)
    assert not provider_a.has_perm("accounts.administer_organization", org_a)
    # The former administrator can no longer manage members.
    with pytest.raises(ActionForbidden):
        member_remove(organization_id=org_a.pk, actor=provider_a, user_id=member.pk)
    member_remove(organization_id=org_a.pk, actor=member, user_id=provider_a.pk)
    provider_a = User.objects.get(id=provider_a.pk)
    assert provider_a.organization_id is None and user_roles(provider_a) == frozenset()
    assert not provider_a.has_perm("accounts.view_organization", org_a)


def test_members_page_by_persona(provider_a, provider_b):
    html = web_as(provider_a).get("/organization/members/").content.decode()
    assert "provider_a" in html and "provider_b" not in html
