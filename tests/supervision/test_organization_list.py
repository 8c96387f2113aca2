"""The regulators' list of organisations: scoped, filtered in SQL, exported, linked from the overview."""

from __future__ import annotations

import re

import pytest

from accounts.models import AuditEvent, Organization, RegulatorOffice
from tests.conftest import web_as
from tests.factories import make_draft, make_submitted
from tests.sheets import csv_rows

pytestmark = pytest.mark.usefixtures("reference_data")


def _imported(name: str, entity_id: str, division: str = "110108") -> Organization:
    """An entity known only from CAC's published lists (as the importer makes them)."""
    return Organization.objects.create(
        name=name,
        entity_id=entity_id,
        registered_division_code=division,
        province_code=division[:2],
        office=RegulatorOffice.objects.filter(code=f"{division[:2]}0000").first(),  # none for division 40
        status="approved",
        imported=True,
        entity_type="other",
        created_by=Organization.objects.first().created_by,
    )


def _listed(html: str) -> list[str]:
    return re.findall(r'href="/organizations/(\d+)/"', html)


def test_each_regulator_lists_the_organisations_of_their_scope(
    provider_a, provider_b, reviewer_bj, reviewer_gd, supervisor
):
    bj, gd = provider_a.organization, provider_b.organization
    assert sorted(_listed(web_as(supervisor).get("/supervision/organizations/").content.decode())) == sorted(
        [str(bj.pk), str(gd.pk)]
    )
    assert _listed(web_as(reviewer_gd).get("/supervision/organizations/").content.decode()) == [str(gd.pk)]
    # narrowing never widens: a Guangdong reviewer asking for Beijing's office sees nothing
    assert _listed(web_as(reviewer_gd).get("/supervision/organizations/?office=110000").content.decode()) == []
    assert web_as(provider_a).get("/supervision/organizations/").status_code == 404
    assert web_as(None).get("/supervision/organizations/").status_code == 302
    assert web_as(provider_a).get("/exports/organizations/csv/").status_code == 404
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()  # nothing was exported


def test_filters_by_status_origin_name_and_entity_id(provider_a, reviewer_bj, supervisor):
    imported = _imported("北京旧名科技有限公司", "1234567")
    draft = make_draft(division="110105")
    client = web_as(supervisor)

    def listed(**params: str) -> list[str]:
        return _listed(client.get("/supervision/organizations/", params).content.decode())

    assert listed(imported="1") == [str(imported.pk)]
    assert str(imported.pk) not in listed(imported="0")
    assert listed(q="1234567") == [str(imported.pk)]
    assert listed(q="旧名") == [str(imported.pk)]
    assert listed(status="draft") == [str(draft.pk)]
    assert listed(q=provider_a.organization.uscc) == [str(provider_a.organization.pk)]
    page = client.get("/supervision/organizations/", {"imported": "1", "status": "approved"}).content.decode()
    assert 'id="list-filters"' in page


def test_the_overviews_numbers_lead_to_that_many_organisations(provider_a, provider_b, supervisor):
    make_submitted(division="110105")
    _imported("某科技有限公司", "7654321")
    _imported("无对应网信部门的主体", "7654322", division="400001")  # no reviewing office
    client = web_as(supervisor)
    html = client.get("/supervision/").content.decode().replace("&amp;", "&")
    assert "office=none&status=approved" in html
    links = re.findall(r'href="(/supervision/organizations/\?[^"]*)">(\d+)</a>', html)
    assert len(links) >= 4
    for url, shown in links:
        assert len(_listed(client.get(url).content.decode())) == int(shown), url


def test_the_export_holds_what_the_list_shows(provider_a, provider_b, supervisor):
    _imported("某科技有限公司", "7654321")
    client = web_as(supervisor)
    listed = _listed(client.get("/supervision/organizations/?imported=0").content.decode())
    rows = csv_rows(client.get("/exports/organizations/csv/?imported=0").getvalue())
    assert sorted(row[0] for row in rows[1:]) == sorted(listed) and len(listed) == 2
    assert AuditEvent.objects.get(action="export.downloaded").payload["list"] == "organizations"


def test_the_list_takes_a_fixed_number_of_queries(provider_a, supervisor, django_assert_max_num_queries):
    client = web_as(supervisor)
    client.get("/supervision/organizations/")

    def count() -> int:
        with django_assert_max_num_queries(15) as captured:
            assert client.get("/supervision/organizations/").status_code == 200
        return len(captured)

    few = count()
    for n in range(3):
        _imported(f"公司{n}", f"99999{n:02d}")
    assert count() == few
