"""Exports of the projects a person may see: CSV, JSON and an Atom feed.

Every export takes the list page's filters (`SearchQuery.from_params`: q, organisation, phase,
theme, tag, collaboration, market, include_archived) and shows only what the viewer may see
(permissions.visible_projects_q): anonymous visitors get public projects, signed-in people
every published project and their own organisations' drafts. The contact's email address is
only exported to people who are signed in.

CSV (`/projects/export.csv`): one row per project; the columns after `status` are the CSV
import's columns, so an export can be edited and imported elsewhere. Lists are separated by
"; ", yes/no fields say yes or no, dates are YYYY-MM-DD. Cells a spreadsheet would read as a
formula start with an apostrophe.

JSON (`/projects/export.json`): a list of objects, one per project, newest activity first:

    id, url, title, summary, problem, user_needs, outcomes,
    organisation {slug, name}, partners [{slug, name}], department,
    contact_email (signed-in people only; null when there is no contact),
    phase, status (draft/published/archived), is_public,
    themes [slug], tags [name], start_date, end_date (YYYY-MM-DD or null),
    budget_band, funding_source, collaboration_wanted, collaboration_kind,
    market_engagement_wanted, market_need, market_need_by,
    technology, suppliers, source_code_url, publiccode_url, related_datasets [url],
    published_at, updated_at, last_activity_at (ISO 8601 date-times)

Atom (`/projects/feed.atom`): the 50 most recently updated published projects.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils.feedgenerator import Atom1Feed

from interborough.accounts.models import User
from interborough.pipeline.import_columns import PROJECT_SCHEMA
from interborough.pipeline.models import Project, ProjectStatus
from interborough.pipeline.selectors.projects import project_list
from interborough.pipeline.selectors.search import project_search_ids
from interborough.pipeline.selectors.search_query import SearchQuery

FEED_SIZE = 50
CHUNK = 500
CSV_HEADER = [
    "id",
    "url",
    "organisation",
    "status",
    *PROJECT_SCHEMA.names,
    "published_at",
    "updated_at",
]
UrlFor = Callable[[Project], str]


# --- which projects ------------------------------------------------------------------------


def _in_order(projects: QuerySet[Project], ids: list[int]) -> Iterator[Project]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_id = {p.pk: p for p in projects.filter(pk__in=chunk)}
        yield from (by_id[i] for i in chunk if i in by_id)


def projects_for_export(*, viewer: User, query: SearchQuery) -> Iterable[Project]:
    """The projects the viewer may see that match the query, in its order, with related rows
    loaded (the search index decides what matches, exactly as on the list page)."""
    return _in_order(project_list(viewer=viewer), project_search_ids(viewer=viewer, query=query))


def projects_for_feed(*, viewer: User, query: SearchQuery) -> list[Project]:
    """The latest published projects the viewer may see that match the query, newest first."""
    projects = project_list(viewer=viewer).filter(
        status=ProjectStatus.PUBLISHED, pk__in=project_search_ids(viewer=viewer, query=query)
    )
    return list(projects.order_by("-updated_at", "-pk")[:FEED_SIZE])


# --- CSV -----------------------------------------------------------------------------------


def _cell(project: Project, name: str, include_contact: bool) -> Any:
    if name == "themes":
        return "; ".join(t.slug for t in project.themes.all())
    if name == "tags":
        return "; ".join(t.name for t in project.tags.all())
    if name == "partners":
        return "; ".join(o.slug for o in project.partners.all())
    if name == "contact_email":
        return project.contact.email if include_contact and project.contact else ""
    if name == "related_datasets":
        return "; ".join(project.related_datasets or [])
    value = getattr(project, name)
    return value.isoformat() if isinstance(value, date | datetime) else value


def csv_rows(
    projects: Iterable[Project], *, url_for: UrlFor, include_contact: bool
) -> Iterator[list[Any]]:
    """One row per project, in CSV_HEADER's order."""
    for project in projects:
        yield [
            project.pk,
            url_for(project),
            project.organisation.name,
            project.status,
            *(_cell(project, name, include_contact) for name in PROJECT_SCHEMA.names),
            project.published_at.isoformat() if project.published_at else "",
            project.updated_at.isoformat(),
        ]


# --- JSON ----------------------------------------------------------------------------------


def project_object(project: Project, *, url_for: UrlFor, include_contact: bool) -> dict[str, Any]:
    """One project as the JSON export documents it."""
    data: dict[str, Any] = {
        "id": project.pk,
        "url": url_for(project),
        "title": project.title,
        "summary": project.summary,
        "problem": project.problem,
        "user_needs": project.user_needs,
        "outcomes": project.outcomes,
        "organisation": {"slug": project.organisation.slug, "name": project.organisation.name},
        "partners": [{"slug": o.slug, "name": o.name} for o in project.partners.all()],
        "department": project.department,
    }
    if include_contact:
        data["contact_email"] = project.contact.email if project.contact else None
    data.update(phase=project.phase, status=project.status, is_public=project.is_public)
    data["themes"] = [t.slug for t in project.themes.all()]
    data["tags"] = [t.name for t in project.tags.all()]
    for name in (
        "start_date",
        "end_date",
        "budget_band",
        "funding_source",
        "collaboration_wanted",
        "collaboration_kind",
        "market_engagement_wanted",
        "market_need",
        "market_need_by",
        "technology",
        "suppliers",
        "source_code_url",
        "publiccode_url",
        "related_datasets",
        "published_at",
        "updated_at",
        "last_activity_at",
    ):
        data[name] = getattr(project, name)
    return data


def json_chunks(
    projects: Iterable[Project], *, url_for: UrlFor, include_contact: bool
) -> Iterator[str]:
    """A JSON list of project objects, a piece at a time (so large exports stream)."""
    yield "["
    separator = "\n"
    for project in projects:
        item = project_object(project, url_for=url_for, include_contact=include_contact)
        yield separator + json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


# --- Atom ----------------------------------------------------------------------------------


def atom_feed(
    projects: Iterable[Project], *, link: str, feed_url: str, url_for: UrlFor
) -> Atom1Feed:
    """New and updated published projects as an Atom feed."""
    feed = Atom1Feed(
        title="Interborough: new and updated projects",
        link=link,
        description="Council digital projects across London, newest changes first.",
        feed_url=feed_url,
        language="en-GB",
        author_name="Interborough",
    )
    for project in projects:
        url = url_for(project)
        feed.add_item(
            title=project.title,
            link=url,
            description=project.summary,
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=project.published_at,
            updateddate=project.updated_at,
            author_name=project.organisation.name,
            categories=[t.name for t in project.themes.all()],
        )
    return feed
