"""Reading another CKAN catalogue through its Action API: `package_search`, page by page.

Pure (no Django models): yields RemoteDataset records; services/harvest.py maps them.
"""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from interborough.catalogue.harvest_fetch import (
    Deadline,
    HarvestError,
    Limits,
    RemoteDataset,
    RemoteResource,
    client,
    fetch,
)

# CKAN licence ids seen in the wild -> the data store's licence codes.
CKAN_LICENCES = {
    "uk-ogl": "OGL-UK-3.0",
    "ogl-uk-3.0": "OGL-UK-3.0",
    "ogl": "OGL-UK-3.0",
    "cc-by": "CC-BY-4.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-zero": "CC0-1.0",
    "cc0-1.0": "CC0-1.0",
    "odc-odbl": "ODbL-1.0",
    "odbl-1.0": "ODbL-1.0",
}


def api_base(url: str) -> str:
    """The CKAN site's root from its URL or its Action API URL."""
    base = url.strip().rstrip("/")
    for suffix in ("/api/3/action", "/api/action", "/api/3", "/api"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _tags(package: dict[str, Any]) -> tuple[str, ...]:
    tags = package.get("tags") if isinstance(package.get("tags"), list) else []
    names = [t.get("name") if isinstance(t, dict) else t for t in tags or []]
    return tuple(n.strip() for n in names if isinstance(n, str) and n.strip())


def _resources(package: dict[str, Any]) -> tuple[RemoteResource, ...]:
    resources = package.get("resources") if isinstance(package.get("resources"), list) else []
    return tuple(
        RemoteResource(
            name=_text(r.get("name")) or _text(r.get("url")) or "Resource",
            url=_text(r.get("url")),
            format=_text(r.get("format")),
        )
        for r in resources or []
        if isinstance(r, dict)
    )


def to_remote(package: dict[str, Any], base: str) -> RemoteDataset:
    """One CKAN package as a RemoteDataset; raises HarvestError without an id or title."""
    identifier = _text(package.get("id")) or _text(package.get("name"))
    if not identifier:
        raise HarvestError("A package has neither an id nor a name.")
    name = _text(package.get("name")) or identifier
    licence_id = _text(package.get("license_id"))
    return RemoteDataset(
        identifier=identifier,
        title=_text(package.get("title")) or name,
        description=_text(package.get("notes")),
        landing_url=f"{base}/dataset/{name}",
        keywords=_tags(package),
        licence_id=CKAN_LICENCES.get(licence_id.lower(), licence_id),
        licence_url=_text(package.get("license_url")),
        contact_name=_text(package.get("maintainer")) or _text(package.get("author")),
        contact_email=_text(package.get("maintainer_email")) or _text(package.get("author_email")),
        resources=_resources(package),
    )


def _page(body: bytes, url: str) -> tuple[int, list[Any]]:
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise HarvestError(f"{url[:200]} did not answer with JSON.") from None
    result = envelope.get("result") if isinstance(envelope, dict) else None
    if not (isinstance(envelope, dict) and envelope.get("success") and isinstance(result, dict)):
        raise HarvestError(f"{url[:200]} did not answer like CKAN's package_search.")
    results = result.get("results")
    count = result.get("count")
    if not isinstance(results, list) or not isinstance(count, int):
        raise HarvestError(f"{url[:200]} did not answer like CKAN's package_search.")
    return count, results


def ckan_datasets(
    url: str, limits: Limits, deadline: Deadline, problems: list[str]
) -> Iterator[RemoteDataset]:
    """Every package of the CKAN site, page by page; a package that cannot be read is noted
    in `problems` and skipped, a page that cannot be read ends the harvest (HarvestError)."""
    base = api_base(url)
    start = 0
    with client(limits) as http:
        for _page_number in range(limits.max_pages):
            query = urlencode({"rows": limits.page_rows, "start": start})
            page_url = f"{base}/api/3/action/package_search?{query}"
            count, results = _page(fetch(http, page_url, limits, deadline).body, page_url)
            for package in results:
                try:
                    if not isinstance(package, dict):
                        raise HarvestError("A package is not a JSON object.")
                    yield to_remote(package, base)
                except HarvestError as error:
                    problems.append(str(error))
            start += len(results)
            if not results or start >= count:
                return
    raise HarvestError(f"The catalogue has more than {limits.max_pages} pages; harvest stopped.")
