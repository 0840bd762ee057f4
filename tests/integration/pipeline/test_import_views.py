"""Import pages: upload, follow the check, read the report, import or discard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from interborough.pipeline.models import ImportKind, ImportRun, ImportStatus, Project
from interborough.pipeline.views import exchange as views
from tests.factories.accounts import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PROJECTS_URL = reverse("pipeline:project-import")
CONTRACTS_URL = reverse("pipeline:contract-import")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_file(text: str, name: str = "projects.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def post_file(client_for, organisation, django_capture_on_commit_callbacks):
    """Upload as a person; the check runs after commit as the task would."""

    def do(user, text, *, url=PROJECTS_URL, name="projects.csv", **extra):
        client = client_for(user)
        data = {"organisation": organisation.slug, "file": csv_file(text, name), **extra}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        return client.get(response["Location"]) if response.status_code == 302 else response

    return do


def only_run() -> ImportRun:
    return ImportRun.objects.get()


# --- the upload page -----------------------------------------------------------------------


def test_upload_page_shows_the_form_and_the_columns(client_for, publisher, organisation):
    response = client_for(publisher).get(PROJECTS_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'name="organisation" value="{organisation.slug}"' in page
    assert "Download the CSV template" in page
    assert "<code>contact_email</code>" in page


def test_upload_page_lets_someone_who_publishes_for_two_organisations_choose(
    client_for, publisher, organisation
):
    other = OrganisationFactory(name="Royal Borough of Greenwich", slug="greenwich")
    MembershipFactory(organisation=other, user=publisher, role="org_admin")

    page = client_for(publisher).get(PROJECTS_URL).content.decode()

    assert 'type="radio" value="greenwich"' in page
    assert 'type="radio" value="camden"' in page


def test_upload_page_downloads_the_template(client_for, member):
    response = client_for(member).get(CONTRACTS_URL + "?template")

    assert response["Content-Type"].startswith("text/csv")
    assert "contracts-template.csv" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").startswith("product,category,supplier_name,")


def test_upload_page_tells_a_member_why_they_cannot_import(client_for, member):
    response = client_for(member).get(PROJECTS_URL)

    assert (
        "Only publishers and organisation admins can import projects" in response.content.decode()
    )
    assert b'type="file"' not in response.content


def test_upload_by_a_member_is_refused_and_creates_nothing(post_file, member):
    response = post_file(member, "title,summary,themes\nA,B,housing\n")

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not ImportRun.objects.exists()


def test_upload_checks_the_file_and_shows_the_import_page(post_file, publisher):
    response = post_file(publisher, "title,summary,themes\nA,B,housing\nC,D,net-zero\n")

    run = only_run()
    assert response.wsgi_request.path == reverse("pipeline:import-detail", args=[run.pk])
    page = response.content.decode()
    assert "All 2 rows can be imported." in page
    assert "Import all 2 rows" in page
    assert "valid rows only" not in page


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("projects.xlsx", "title\n", "must be a CSV file"),
        ("projects.csv", "PK\x03\x04 workbook", "spreadsheet workbook"),
        ("projects.csv", "", "The file is empty"),
    ],
)
def test_upload_refuses_what_is_not_a_csv_file(post_file, publisher, name, content, message):
    response = post_file(publisher, content, name=name)

    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_refuses_a_file_over_the_size_limit_before_storing_it(
    post_file, publisher, monkeypatch
):
    monkeypatch.setattr(views.imports, "MAX_BYTES", 100)

    response = post_file(publisher, "title,summary,themes\n" + "A,B,housing\n" * 50)

    assert "The file must be smaller than" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_needs_the_csrf_token(publisher, organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)

    response = client.post(
        PROJECTS_URL, {"organisation": organisation.slug, "file": csv_file("title\n")}
    )

    assert response.status_code == 403
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("value", ["x" * 100_000, "abc\x00def", "camden'; --", ""])
def test_upload_answers_hostile_form_values_with_an_error(client_for, publisher, value):
    response = client_for(publisher).post(PROJECTS_URL, {"organisation": value, "file": value})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not ImportRun.objects.exists()


# --- the import page -----------------------------------------------------------------------


def test_import_page_reports_problems_and_offers_the_valid_rows(post_file, publisher):
    text = "title,summary,themes,colour\nA,B,housing,red\n,D,housing,blue\nE,F,flying,green\n"

    page = post_file(publisher, text).content.decode()

    assert "1 of 3 rows can be imported. 2 rows have problems." in page
    assert "Import the 1 valid row only" in page
    assert "Import all" not in page
    assert "3 problems on 3 lines" in page
    assert "There is no column called “colour”" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in page


def test_import_page_shows_why_a_file_failed(post_file, publisher):
    page = post_file(publisher, "name,description\nA,B\n").content.decode()

    assert only_run().status == ImportStatus.FAILED
    assert "The file could not be imported" in page
    assert "Upload a corrected file" in page


def test_import_page_follows_progress_while_checking(client_for, publisher, organisation):
    run = ImportRun.objects.create(
        kind=ImportKind.PROJECTS,
        organisation=organisation,
        created_by=publisher,
        filename="big.csv",
        checksum="0" * 64,
        rows_total=10_000,
        progress=2_500,
    )
    client = client_for(publisher)
    url = reverse("pipeline:import-detail", args=[run.pk])

    page = client.get(url).content.decode()
    state = client.get(url + "?format=json").json()

    assert 'value="25"' in page
    assert "Checked 2,500 of 10,000 rows." in page
    assert "data-poll-url" in page
    assert state == {
        "status": "validating",
        "finished": False,
        "percent": 25,
        "text": "Checked 2,500 of 10,000 rows.",
    }


@pytest.mark.parametrize("who", ["member", "other_publisher", "staff"])
def test_import_page_is_hidden_from_everyone_but_its_publishers_and_admins(
    request, post_file, client_for, publisher, who
):
    post_file(publisher, "title,summary,themes\nA,B,housing\n")
    user = request.getfixturevalue(who)
    client = client_for(user)
    run = only_run()

    for response in (
        client.get(reverse("pipeline:import-detail", args=[run.pk])),
        client.post(reverse("pipeline:import-confirm", args=[run.pk])),
        client.post(reverse("pipeline:import-discard", args=[run.pk])),
    ):
        assert response.status_code == 404
    assert only_run().status == ImportStatus.VALIDATED


def test_import_page_is_open_to_another_publisher_of_the_organisation(
    post_file, client_for, publisher, org_admin
):
    post_file(publisher, "title,summary,themes\nA,B,housing\n")

    response = client_for(org_admin).get(reverse("pipeline:import-detail", args=[only_run().pk]))

    assert response.status_code == 200


# --- confirm and discard -------------------------------------------------------------------


def test_confirm_imports_the_rows(
    post_file, client_for, publisher, django_capture_on_commit_callbacks
):
    post_file(publisher, "title,summary,themes\nA,B,housing\nC,D,housing\n")
    run = only_run()

    client = client_for(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pipeline:import-confirm", args=[run.pk]))
    response = client.get(reverse("pipeline:import-detail", args=[run.pk]))

    assert only_run().status == ImportStatus.IMPORTED
    assert Project.objects.count() == 2
    assert "2 projects imported" in response.content.decode()


def test_confirm_all_rows_is_refused_when_some_have_problems(post_file, client_for, publisher):
    post_file(publisher, "title,summary,themes\nA,B,housing\n,D,housing\n")
    run = only_run()

    response = client_for(publisher).post(
        reverse("pipeline:import-confirm", args=[run.pk]), follow=True
    )

    assert "choose to import the valid rows only" in response.content.decode()
    assert only_run().status == ImportStatus.VALIDATED
    assert not Project.objects.exists()


def test_confirm_valid_rows_only(
    post_file, client_for, publisher, django_capture_on_commit_callbacks
):
    post_file(publisher, "title,summary,themes\nA,B,housing\n,D,housing\n")
    run = only_run()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(publisher).post(
            reverse("pipeline:import-confirm", args=[run.pk]), {"valid_rows_only": "on"}
        )

    assert list(Project.objects.values_list("title", flat=True)) == ["A"]


def test_discard_throws_the_import_away(post_file, client_for, publisher):
    post_file(publisher, "title,summary,themes\nA,B,housing\n")
    run = only_run()

    response = client_for(publisher).post(
        reverse("pipeline:import-discard", args=[run.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == PROJECTS_URL
    assert "projects.csv was discarded" in response.content.decode()
    assert only_run().status == ImportStatus.DISCARDED


def test_confirm_and_discard_answer_only_post(post_file, client_for, publisher):
    post_file(publisher, "title,summary,themes\nA,B,housing\n")
    client = client_for(publisher)

    for name in ("pipeline:import-confirm", "pipeline:import-discard"):
        assert client.get(reverse(name, args=[only_run().pk])).status_code == 405


def test_contract_upload_goes_to_the_contract_checker(post_file, publisher):
    page = post_file(
        publisher, "product,supplier_name\nCRM,Acme\n", url=CONTRACTS_URL, name="c.csv"
    ).content.decode()

    assert only_run().kind == ImportKind.CONTRACTS
    assert "Import all 1 row" in page
