"""Exports: CSV (formula-safe), JSON and Atom, each showing only what the viewer may see."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from interborough.pipeline import exports
from interborough.pipeline.import_columns import PROJECT_SCHEMA
from interborough.pipeline.imports import parse
from interborough.pipeline.models import Phase, ProjectStatus
from tests.factories.pipeline import ProjectFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CSV_URL = reverse("pipeline:project-export-csv")
JSON_URL = reverse("pipeline:project-export-json")
FEED_URL = reverse("pipeline:project-feed")


@pytest.fixture
def projects(organisation, other_organisation, member):
    published = ProjectStatus.PUBLISHED
    return {
        "public": ProjectFactory(
            organisation=organisation,
            title="Public repairs booking",
            status=published,
            is_public=True,
            contact=member,
            themes=["housing", "net-zero"],
            tags=["repairs"],
            phase=Phase.ALPHA,
        ),
        "published": ProjectFactory(
            organisation=other_organisation,
            title="Hackney parking permits",
            status=published,
            themes=["transport"],
        ),
        "own_draft": ProjectFactory(organisation=organisation, title="Camden draft idea"),
        "other_draft": ProjectFactory(organisation=other_organisation, title="Hackney secret"),
        "archived": ProjectFactory(
            organisation=organisation, title="Old archived one", status=ProjectStatus.ARCHIVED
        ),
    }


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_items(response) -> list[dict]:
    return json.loads(b"".join(response.streaming_content))


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


# --- CSV -----------------------------------------------------------------------------------


def test_csv_for_an_anonymous_visitor_has_public_projects_only(client, projects):
    response = client.get(CSV_URL)

    assert response["Content-Type"] == "text/csv"
    assert 'filename="projects.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert titles(rows) == {"Public repairs booking"}
    assert rows[0]["contact_email"] == ""  # people's addresses only for those signed in
    assert rows[0]["themes"] == "net-zero; housing"  # in the themes' own order
    assert rows[0]["url"].endswith(f"/projects/{projects['public'].pk}/")


def test_csv_for_a_member_has_published_projects_and_own_drafts_but_not_others_drafts(
    client_for, member, projects
):
    rows = csv_rows(client_for(member).get(CSV_URL))

    assert titles(rows) == {
        "Public repairs booking",
        "Hackney parking permits",
        "Camden draft idea",
    }
    public = next(r for r in rows if r["title"] == "Public repairs booking")
    assert public["contact_email"] == member.email
    assert public["is_public"] == "yes"


def test_csv_cells_cannot_become_formulas(client, organisation):
    ProjectFactory(
        organisation=organisation,
        title='=HYPERLINK("http://evil.example","click")',
        summary="+1+2",
        department="@SUM(A1)",
        status=ProjectStatus.PUBLISHED,
        is_public=True,
    )

    row = csv_rows(client.get(CSV_URL))[0]

    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["summary"] == "'+1+2"
    assert row["department"] == "'@SUM(A1)"


def test_csv_takes_the_list_filters(client_for, member, projects):
    client = client_for(member)

    assert titles(csv_rows(client.get(CSV_URL + "?theme=transport"))) == {"Hackney parking permits"}
    assert titles(csv_rows(client.get(CSV_URL + "?organisation=camden&phase=alpha"))) == {
        "Public repairs booking"
    }
    assert "Old archived one" in titles(csv_rows(client.get(CSV_URL + "?include_archived=yes")))


def test_csv_takes_the_search_text(client_for, member, projects):
    rows = csv_rows(client_for(member).get(CSV_URL + "?q=parking"))

    assert titles(rows) == {"Hackney parking permits"}


def test_csv_export_reads_back_as_an_import_file(client_for, member, projects):
    content = b"".join(client_for(member).get(CSV_URL).streaming_content)

    parsed = parse(content, PROJECT_SCHEMA)

    assert parsed.problems == []  # the export's own extra columns are known
    assert {row.values["title"] for row in parsed.rows} == {
        "Public repairs booking",
        "Hackney parking permits",
        "Camden draft idea",
    }
    assert parsed.rows[0].values["themes"]


def test_csv_header_is_the_documented_one(client):
    text = b"".join(client.get(CSV_URL).streaming_content).decode("utf-8-sig")

    assert text.splitlines()[0].split(",") == exports.CSV_HEADER


# --- JSON ----------------------------------------------------------------------------------


def test_json_is_a_list_of_documented_objects(client_for, member, projects):
    response = client_for(member).get(JSON_URL)

    assert response["Content-Type"] == "application/json"
    items = json_items(response)
    assert {i["title"] for i in items} == {
        "Public repairs booking",
        "Hackney parking permits",
        "Camden draft idea",
    }
    public = next(i for i in items if i["title"] == "Public repairs booking")
    assert public["organisation"] == {"slug": "camden", "name": "London Borough of Camden"}
    assert public["themes"] == ["net-zero", "housing"]
    assert public["tags"] == ["repairs"]
    assert public["contact_email"] == member.email
    assert public["phase"] == "alpha"
    assert public["is_public"] is True
    assert public["published_at"].startswith("20")


def test_json_for_an_anonymous_visitor_leaves_out_people_and_private_projects(client, projects):
    items = json_items(client.get(JSON_URL))

    assert [i["title"] for i in items] == ["Public repairs booking"]
    assert "contact_email" not in items[0]


def test_json_of_nothing_is_an_empty_list(client):
    assert json_items(client.get(JSON_URL)) == []


# --- Atom ----------------------------------------------------------------------------------


def feed_titles(response) -> list[str]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def test_feed_for_an_anonymous_visitor_is_valid_atom_with_public_projects(client, projects):
    response = client.get(FEED_URL)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed_titles(response) == ["Public repairs booking"]
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/projects/{projects['public'].pk}/")
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {"Housing", "Net zero"}


def test_feed_for_a_member_has_every_published_project_and_no_drafts(client_for, member, projects):
    found = feed_titles(client_for(member).get(FEED_URL))

    assert set(found) == {"Public repairs booking", "Hackney parking permits"}


def test_feed_lists_the_latest_fifty_newest_first(client, organisation):
    for n in range(52):
        ProjectFactory(
            organisation=organisation,
            title=f"Project {n:02d}",
            status=ProjectStatus.PUBLISHED,
            is_public=True,
        )

    found = feed_titles(client.get(FEED_URL))

    assert len(found) == 50
    assert found[0] == "Project 51"


def test_exports_refuse_writes():
    client = Client()

    for url in (CSV_URL, JSON_URL, FEED_URL):
        assert client.post(url).status_code == 405
