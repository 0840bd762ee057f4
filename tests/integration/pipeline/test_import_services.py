"""CSV import services: upload, row-by-row check, confirm (all or valid rows only), discard."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError

from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import AuditEvent
from interborough.pipeline.models import (
    ContractRecord,
    ImportKind,
    ImportRun,
    ImportStatus,
    Project,
    ProjectStatus,
    ValueBand,
)
from interborough.pipeline.services import import_bulk, import_rows
from interborough.pipeline.services import imports as services
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ContractRecordFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HEADER = "title,summary,themes,tags,partners,contact_email,start_date,end_date,phase,is_public\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a file and run its check (as the background task would) after commit."""

    def do(by, organisation, text, *, kind=ImportKind.PROJECTS, encoding="utf-8"):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.import_run_create(
                by=by,
                organisation=organisation,
                kind=kind,
                filename="upload.csv",
                content=text.encode(encoding),
            )
        run.refresh_from_db()
        return run

    return do


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm an import and run the import task after commit."""

    def do(by, run, *, valid_rows_only=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.import_run_confirm(by=by, import_run=run, valid_rows_only=valid_rows_only)
        run.refresh_from_db()
        return run

    return do


def actions(run) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(run.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


# --- upload and check ----------------------------------------------------------------------


def test_import_run_create_checks_the_file_after_commit(upload, publisher, organisation):
    run = upload(publisher, organisation, HEADER + "Repairs app,Book repairs,housing,,,,,,,\n")

    assert run.status == ImportStatus.VALIDATED
    assert (run.rows_total, run.rows_valid, run.progress) == (1, 1, 1)
    assert run.problems == []
    assert run.encoding == "utf-8"
    assert run.rows[0]["line"] == 2
    assert run.rows[0]["fields"]["title"] == "Repairs app"
    assert actions(run) == ["import.create", "import.validate"]
    assert not default_storage.exists(services.upload_name(run.pk))  # the upload is deleted


def test_import_run_create_refuses_someone_who_does_not_publish(member, organisation):
    with pytest.raises(PermissionDeniedError):
        services.import_run_create(
            by=member,
            organisation=organisation,
            kind=ImportKind.PROJECTS,
            filename="x.csv",
            content=b"title\n",
        )

    assert not ImportRun.objects.exists()


def test_import_run_create_refuses_an_empty_file(publisher, organisation):
    with pytest.raises(ApplicationError, match="empty"):
        services.import_run_create(
            by=publisher,
            organisation=organisation,
            kind=ImportKind.PROJECTS,
            filename="x.csv",
            content=b" \n",
        )


def test_import_run_create_keeps_a_safe_file_name(upload, publisher, organisation):
    with pytest.raises(ApplicationError):
        services.import_run_create(
            by=publisher, organisation=organisation, kind="people", filename="x", content=b"x"
        )
    run = services.import_run_create(
        by=publisher,
        organisation=organisation,
        kind=ImportKind.PROJECTS,
        filename="C:\\Users\\me\\projects\u202e.csv",
        content=b"x",
    )

    assert run.filename == "upload.csv"


def test_validate_reports_each_row_problem_with_its_line_and_column(
    upload, publisher, organisation, other_organisation
):
    text = HEADER + (
        "Good one,Fine,Housing; net zero,Repairs,hackney,,2025-01-01,2025-12-31,beta,yes\n"
        ",No title,housing,,,,,,,\n"
        "Bad theme,x,flying cars,,,,,,,\n"
        "Bad dates,x,housing,,,,2025-06-01,2025-01-01,,\n"
        "Bad contact,x,housing,,,nobody@example.org,,,,\n"
        "Bad phase,x,housing,,,,,,prototype,maybe\n"
    )

    run = upload(publisher, organisation, text)

    assert run.status == ImportStatus.VALIDATED
    assert (run.rows_total, run.rows_valid) == (6, 1)
    found = {(p["line"], p["column"]) for p in run.problems}
    assert found == {
        (3, "title"),
        (4, "themes"),
        (5, "end_date"),
        (6, "contact_email"),
        (7, "phase"),
        (7, "is_public"),
    }
    assert next(p for p in run.problems if p["line"] == 4)["message"].startswith(
        "There is no theme “flying cars”"
    )
    good = run.rows[0]
    assert good["themes"] == ["housing", "net-zero"]  # names work as well as slugs
    assert good["partners"] == ["hackney"]
    assert good["tags"] == ["repairs"]
    assert good["fields"]["start_date"] == "2025-01-01"


def test_validate_uses_the_header_as_written_for_the_column(upload, publisher, organisation):
    run = upload(publisher, organisation, "Title,Summary,Themes\nA,B,nothing\n")

    assert run.problems[0]["column"] == "Themes"


def test_validate_fails_a_file_that_cannot_be_read(upload, publisher, organisation):
    run = upload(publisher, organisation, "name,description\nA,B\n")

    assert run.status == ImportStatus.FAILED
    assert run.problems[0]["line"] == 1
    assert "“title” and “summary” and “themes”" in run.problems[0]["message"]
    assert run.rows == []


def test_validate_reads_a_cp1252_file(upload, publisher, organisation):
    run = upload(
        publisher,
        organisation,
        "title,summary,themes\nCafé £5 meals,Crèche,housing\n",
        encoding="cp1252",
    )

    assert run.encoding == "cp1252"
    assert run.rows[0]["fields"]["title"] == "Café £5 meals"


def test_validate_reports_a_project_the_organisation_already_has(upload, publisher, organisation):
    ProjectFactory(organisation=organisation, title="Repairs  App")

    run = upload(publisher, organisation, "title,summary,themes\nrepairs app,B,housing\n")

    assert run.rows_valid == 0
    assert "already has a project called" in run.problems[0]["message"]


def test_validate_reports_duplicate_rows_within_the_file(upload, publisher, organisation):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\nA,C,housing\n")

    assert run.rows_valid == 1
    assert run.problems == [
        {
            "line": 3,
            "column": "title",
            "message": "This repeats line 2 (the same title). Remove one of them.",
        }
    ]


def test_validate_reports_progress_as_it_goes(upload, publisher, organisation, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    seen = []
    check = import_rows._ProjectChecker.check

    def spy(self, row, headers):
        seen.append(ImportRun.objects.values_list("progress", flat=True).get())
        return check(self, row, headers)

    monkeypatch.setattr(import_rows._ProjectChecker, "check", spy)

    upload(publisher, organisation, "title,summary,themes\nA,B,housing\nC,D,housing\nE,F,housing\n")

    assert seen == [0, 1, 2]


def test_validate_marks_the_import_failed_when_the_check_breaks(
    upload, publisher, organisation, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services.imports, "parse", broken)

    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n")

    assert run.status == ImportStatus.FAILED
    assert run.problems[0]["message"] == services.CHECK_FAILED
    assert not default_storage.exists(services.upload_name(run.pk))


def test_validate_leaves_a_checked_import_alone(upload, publisher, organisation):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n")

    again = services.import_run_validate(import_run_id=run.pk)

    assert again.status == ImportStatus.VALIDATED
    assert actions(run).count("import.validate") == 1


# --- confirm and import --------------------------------------------------------------------


def test_confirm_imports_every_row_as_drafts_in_one_audited_import(
    upload, confirm, publisher, organisation, other_organisation
):
    contact = MembershipFactory(organisation=organisation, role="member").user
    text = HEADER + (
        f"Repairs app,Book repairs,housing; net-zero,Repairs; tenants,hackney,{contact.email},"
        "2025-01-01,2025-12-31,beta,yes\n"
        "Warm homes,Retrofit,net-zero,retrofit,,,,,,\n"
    )
    run = upload(publisher, organisation, text)

    run = confirm(publisher, run)

    assert run.status == ImportStatus.IMPORTED
    assert run.rows == []
    assert run.rows_imported == 2
    repairs = Project.objects.get(title="Repairs app")
    assert repairs.status == ProjectStatus.DRAFT
    assert repairs.organisation == organisation
    assert repairs.created_by == publisher
    assert repairs.contact == contact
    assert repairs.is_public is True
    assert repairs.start_date == date(2025, 1, 1)
    assert sorted(repairs.themes.values_list("slug", flat=True)) == ["housing", "net-zero"]
    assert sorted(repairs.tags.values_list("name", flat=True)) == ["repairs", "tenants"]
    assert list(repairs.partners.all()) == [other_organisation]
    assert actions(run) == ["import.create", "import.validate", "import.confirm", "import.import"]
    event = AuditEvent.objects.get(action="import.import")
    ids = sorted(Project.objects.values_list("pk", flat=True))
    assert event.actor == publisher
    assert event.changes["after"]["count"] == 2
    assert event.changes["after"]["checksum"] == run.checksum
    assert (event.changes["after"]["first_id"], event.changes["after"]["last_id"]) == (
        ids[0],
        ids[-1],
    )
    assert not AuditEvent.objects.filter(action="project.create").exists()


def test_confirm_refuses_a_file_with_problems_unless_valid_rows_only(
    upload, confirm, publisher, organisation
):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n,B,housing\n")

    with pytest.raises(ApplicationError, match="valid rows only"):
        confirm(publisher, run)
    run.refresh_from_db()
    assert run.status == ImportStatus.VALIDATED
    assert not Project.objects.exists()

    run = confirm(publisher, run, valid_rows_only=True)

    assert run.status == ImportStatus.IMPORTED
    assert list(Project.objects.values_list("title", flat=True)) == ["A"]


def test_confirm_refuses_when_no_row_is_valid(upload, confirm, publisher, organisation):
    run = upload(publisher, organisation, "title,summary,themes\n,B,housing\n")

    with pytest.raises(ApplicationError, match="no valid rows"):
        confirm(publisher, run, valid_rows_only=True)


def test_confirm_refuses_someone_who_does_not_publish(
    upload, confirm, publisher, member, organisation
):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n")

    with pytest.raises(PermissionDeniedError):
        confirm(member, run)


def test_confirm_refuses_an_import_twice(upload, confirm, publisher, organisation):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n")
    confirm(publisher, run)

    with pytest.raises(ApplicationError, match="imported"):
        confirm(publisher, run)
    assert Project.objects.count() == 1


def test_import_is_all_or_nothing_when_a_partner_has_left(
    upload, confirm, publisher, organisation, other_organisation
):
    text = "title,summary,themes,partners\nA,B,housing,\nC,D,housing,hackney\n"
    run = upload(publisher, organisation, text)
    other_organisation.is_active = False
    other_organisation.save()

    run = confirm(publisher, run)

    assert run.status == ImportStatus.VALIDATED
    assert not Project.objects.exists()
    assert "“hackney” is no longer on the platform" in run.problems[0]["message"]
    assert actions(run)[-1] == "import.fail"


def test_import_is_all_or_nothing_when_the_database_fails(
    upload, confirm, publisher, organisation, monkeypatch
):
    run = upload(publisher, organisation, "title,summary,themes,tags\nA,B,housing,x\n")
    insert_links = import_bulk._insert_links

    def failing(through, pairs):
        if through is Project.tags.through:  # after the projects and their themes
            raise DatabaseError("disk full")
        insert_links(through, pairs)

    monkeypatch.setattr(import_bulk, "_insert_links", failing)

    run = confirm(publisher, run)

    assert run.status == ImportStatus.VALIDATED
    assert run.problems[0]["message"] == services.IMPORT_FAILED
    assert not Project.objects.exists()
    assert not Project.themes.through.objects.exists()
    assert len(run.rows) == 1  # still there, to try again


def test_ten_thousand_rows_import(upload, confirm, publisher, organisation):
    rows = "".join(
        f"Project {i},Summary of project {i},housing; net-zero,tag{i % 40}; shared,"
        f",,2025-01-01,2026-01-01,{('alpha', 'beta', 'live')[i % 3]},{'yes' if i % 2 else 'no'}\n"
        for i in range(10_000)
    )

    run = upload(publisher, organisation, HEADER + rows)
    assert (run.status, run.rows_valid) == (ImportStatus.VALIDATED, 10_000)
    run = confirm(publisher, run)

    assert run.status == ImportStatus.IMPORTED
    assert Project.objects.filter(organisation=organisation).count() == 10_000
    assert Project.themes.through.objects.count() == 20_000
    assert Project.tags.through.objects.count() == 20_000
    assert Project.objects.filter(phase="live", is_public=False).count() > 0


# --- contracts -----------------------------------------------------------------------------


def test_contract_import(upload, confirm, publisher, organisation):
    supplier = OrganisationFactory(name="Acme Systems Ltd", slug="acme", type="supplier")
    ContractRecordFactory(organisation=organisation, product="CRM", supplier_name="Old Co")
    text = (
        "Product,Supplier name,Supplier,Contract end,Annual value band,Value is internal\n"
        "Housing system,Acme Systems,acme systems ltd,31/03/2027,£100k,yes\n"
        "CRM,old co,,2026-01-01,,\n"
        ",Nobody,,,,\n"
    )
    text = text.replace("£100k", "100k_500k")

    run = upload(publisher, organisation, text, kind=ImportKind.CONTRACTS)

    assert (run.rows_total, run.rows_valid) == (3, 1)
    assert {(p["line"], p["column"]) for p in run.problems} == {(3, "Product"), (4, "Product")}
    run = confirm(publisher, run, valid_rows_only=True)
    record = ContractRecord.objects.get(product="Housing system")
    assert record.supplier == supplier
    assert record.contract_end == date(2027, 3, 31)
    assert record.annual_value_band == ValueBand.FROM_100K
    assert record.value_is_internal is True
    assert record.organisation == organisation
    assert run.rows_imported == 1


# --- discard -------------------------------------------------------------------------------


def test_discard_throws_the_rows_away(upload, publisher, organisation):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n")

    services.import_run_discard(by=publisher, import_run=run)

    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED
    assert run.rows == []
    assert actions(run)[-1] == "import.discard"
    with pytest.raises(ApplicationError):
        services.import_run_discard(by=publisher, import_run=run)


def test_discard_refuses_someone_from_another_organisation(
    upload, publisher, organisation, other_publisher
):
    run = upload(publisher, organisation, "title,summary,themes\nA,B,housing\n")

    with pytest.raises(PermissionDeniedError):
        services.import_run_discard(by=other_publisher, import_run=run)
