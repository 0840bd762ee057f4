"""API shapes of resources, their versions and their records."""

import uuid
from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class RecordsQuery(Schema):
    """The documented parameters; filters are `<field>=<value>` and `<field>__<op>=<value>`
    with op one of eq, ne, gt, gte, lt, lte, in (comma-separated), contains."""

    q: str | None = Field(None, description="Words to find in any text column (any case).")
    fields: str | None = Field(None, description="Comma-separated fields to return.")
    sort: str | None = Field(
        None,
        description="Comma-separated fields; `-field` sorts descending. Row order breaks ties.",
    )
    limit: str | None = Field(None, description="Rows per page: 0 to 1000, default 100.")
    offset: str | None = Field(None, description="Rows to skip (prefer `after`).")
    after: str | None = Field(None, description="The `next` cursor of the page before.")
    format: str | None = Field(
        None, description="objects (default), lists, or csv (a CSV string without header)."
    )


class FieldOut(Schema):
    name: str
    type: str
    title: str = ""
    description: str = ""


class LinksOut(Schema):
    next: str | None


class RecordsOut(Schema):
    resource: uuid.UUID
    version: int
    fields: list[FieldOut]
    records: Any = Field(description="Objects, lists of values in `fields` order, or CSV text.")
    total: int = Field(description="Rows matching the filters (exact).")
    limit: int
    offset: int
    next: str | None = Field(description="Pass as `after` for the next page; null on the last.")
    links: LinksOut


class VersionOut(Schema):
    number: int
    status: str
    rows: int | None
    size: int
    sha256: str
    format: str
    created_at: datetime
    changes: dict[str, Any]


class ResourceOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    dataset: str = Field(description="The dataset's slug.")
    latest: int | None = Field(description="The number of the newest ready version.")
    versions: list[VersionOut]
