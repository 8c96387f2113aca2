"""Personas shared by every test: provider A (Beijing) and B (Guangdong), reviewers of the right and
the wrong province, a central reviewer, supervisors, a system administrator and anonymous."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Organization, User
from accounts.reference import CENTRAL_OFFICE_CODE, ensure_reference_data
from accounts.roles import Role
from tests.factories import make_approved, make_staff, make_user

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Optional infrastructure: skipped on a developer machine, a failure in CI."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def reference_data(db: None) -> None:
    all_reference_data()


def all_reference_data() -> None:
    """Transactional tests flush the tables that data migrations filled; put the rows back."""
    from supervision.defaults import load_defaults, load_intervals
    from supervision.models import ReassessmentInterval, StageDefinition, TierPolicy

    ensure_reference_data()
    load_defaults(TierPolicy, StageDefinition)
    load_intervals(ReassessmentInterval)


@pytest.fixture
def reviewer_bj(reference_data: None) -> User:
    return make_staff("reviewer_bj", Role.REVIEWER, "110000")


@pytest.fixture
def reviewer_bj2(reference_data: None) -> User:
    return make_staff("reviewer_bj2", Role.REVIEWER, "110000")


@pytest.fixture
def reviewer_gd(reference_data: None) -> User:
    return make_staff("reviewer_gd", Role.REVIEWER, "440000")


@pytest.fixture
def central_reviewer(reference_data: None) -> User:
    return make_staff("central_1", Role.SENIOR_REVIEWER, CENTRAL_OFFICE_CODE)


@pytest.fixture
def supervisor(reference_data: None) -> User:
    return make_staff("supervisor", Role.SUPERVISOR, CENTRAL_OFFICE_CODE)


@pytest.fixture
def supervisor_gd(reference_data: None) -> User:
    return make_staff("supervisor_gd", Role.SUPERVISOR, "440000")


@pytest.fixture
def sysadmin(reference_data: None) -> User:
    return make_staff("admin", Role.SYSADMIN, None)


@pytest.fixture
def provider_a(reference_data: None, reviewer_bj: User) -> User:
    """Administrator of an approved organisation in Beijing (Haidian)."""
    user = make_user(username="provider_a")
    make_approved(user, "110108", reviewer=reviewer_bj)
    user.refresh_from_db()
    return user


@pytest.fixture
def provider_b(reference_data: None, reviewer_gd: User) -> User:
    """Administrator of an approved organisation in Guangdong (Shenzhen Nanshan)."""
    user = make_user(username="provider_b")
    make_approved(user, "440305", reviewer=reviewer_gd)
    user.refresh_from_db()
    return user


@pytest.fixture
def org_a(provider_a: User) -> Organization:
    return Organization.objects.get(id=provider_a.organization_id)


@pytest.fixture
def org_b(provider_b: User) -> Organization:
    return Organization.objects.get(id=provider_b.organization_id)


@pytest.fixture
def newcomer(reference_data: None) -> User:
    """A signed-up provider account without an organisation yet."""
    return make_user(username="newcomer")


PERSONAS = (
    "provider_a",
    "provider_b",
    "reviewer_bj",
    "reviewer_gd",
    "central_reviewer",
    "supervisor",
    "anonymous",
)


@pytest.fixture
def persona(request: pytest.FixtureRequest) -> User | None:
    """Indirect parametrisation: ``@pytest.mark.parametrize("persona", [...], indirect=True)``."""
    name = request.param
    if name == "anonymous":
        return None
    user: User = request.getfixturevalue(name)
    return user


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def api_as(user: User | None, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def token_client(user: User, language: str = "en") -> APIClient:
    """Authenticated the way real clients are (a token), so query counts include authentication."""
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE=language)


def web_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
