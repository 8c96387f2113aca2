"""Every page and endpoint of the foundation, for every persona: status codes in one table.

Provider A owns the Beijing organisation; provider B the Guangdong one. ``{org_a}`` and ``{task_a}``
are filled in with Beijing's organisation and an open Beijing review task.
"""

import pytest

from accounts.models import User
from tests.conftest import PERSONAS, api_as, web_as
from tests.factories import make_submitted, make_user, open_task

pytestmark = pytest.mark.usefixtures("reference_data")

P = PERSONAS  # provider_a, provider_b, reviewer_bj, reviewer_gd, central_reviewer, supervisor, anonymous

WEB = [
    # path, expected per persona in the order of PERSONAS
    ("/", (302, 302, 302, 302, 302, 302, 200)),
    ("/organization/", (200, 200, 404, 404, 404, 404, 302)),
    ("/organization/edit/", (302, 302, 404, 404, 404, 404, 302)),
    ("/organization/members/", (200, 200, 404, 404, 404, 404, 302)),
    ("/organization/changes/new/", (200, 200, 404, 404, 404, 404, 302)),
    ("/organizations/{org_a}/", (200, 404, 200, 404, 200, 200, 302)),
    ("/review/", (404, 404, 200, 200, 200, 200, 302)),
    ("/review/tasks/{task_a}/", (404, 404, 200, 404, 200, 200, 302)),
    ("/supervision/", (404, 404, 200, 200, 200, 200, 302)),
    ("/admin/", (302, 302, 302, 302, 302, 302, 302)),
    ("/accounts/login/", (302, 302, 302, 302, 302, 302, 200)),
    ("/accounts/signup/", (302, 302, 302, 302, 302, 302, 200)),
    ("/accounts/password/reset/", (200, 200, 200, 200, 200, 200, 200)),
    ("/healthz", (200, 200, 200, 200, 200, 200, 200)),
]

API = [
    ("/api/v1/me/", (200, 200, 200, 200, 200, 200, 401)),
    ("/api/v1/organizations/", (200, 200, 200, 200, 200, 200, 401)),
    ("/api/v1/organizations/{org_a}/", (200, 404, 200, 404, 200, 200, 401)),
    ("/api/v1/organizations/{org_a}/attachments/", (200, 404, 200, 404, 200, 200, 401)),
    ("/api/v1/organizations/{org_a}/changes/", (200, 404, 200, 404, 200, 200, 401)),
    ("/api/v1/review/tasks/", (404, 404, 200, 200, 200, 200, 401)),
    ("/api/v1/review/tasks/{task_a}/", (404, 404, 200, 404, 200, 200, 401)),
    ("/api/v1/schema/", (200, 200, 200, 200, 200, 200, 200)),  # the schema is public
]

# Non-staff providers without a regulator role must not reach regulator pages at all (404), and the
# organisation pages of a staff member do not exist either.


@pytest.fixture
def world(request):
    users = {name: (None if name == "anonymous" else request.getfixturevalue(name)) for name in P}
    org_a = request.getfixturevalue("provider_a").organization_id
    task_a = open_task(make_submitted(make_user(), "110108")).pk
    return users, {"org_a": org_a, "task_a": task_a}


def _cases(table):
    return [(path, persona, expected[i]) for path, expected in table for i, persona in enumerate(P)]


@pytest.mark.parametrize(("path", "persona_name", "expected"), _cases(WEB))
def test_web_pages(world, path, persona_name, expected):
    users, ids = world
    user: User | None = users[persona_name]
    response = web_as(user).get(path.format(**ids))
    assert response.status_code == expected


@pytest.mark.parametrize(("path", "persona_name", "expected"), _cases(API))
def test_api_endpoints(world, path, persona_name, expected):
    users, ids = world
    response = api_as(users[persona_name]).get(path.format(**ids))
    assert response.status_code == expected
