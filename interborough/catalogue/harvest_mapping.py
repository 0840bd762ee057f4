"""How a remote dataset becomes the data store's metadata: licence, the "Data from" section
listing where the data is, and the checked-later DatasetInput (services/harvest.py saves it)."""

from interborough.catalogue.dcat_vocab import licence_code
from interborough.catalogue.harvest_fetch import RemoteDataset
from interborough.catalogue.models import AccessLevel, Frequency, Licence
from interborough.catalogue.services.datasets import DatasetInput

MAX_KEYWORDS = 20


def _licence(remote: RemoteDataset) -> str:
    if remote.licence_id in Licence.values:
        return remote.licence_id
    known = licence_code(remote.licence_url) if remote.licence_url else None
    return known or Licence.RESTRICTED


def data_from_section(remote: RemoteDataset) -> str:
    """The Markdown listing where the data itself is: the remote page and each file."""
    lines = [f"## Data from {remote.landing_url or remote.identifier}", ""]
    for resource in remote.resources[:100]:
        label = f"{resource.name} ({resource.format})" if resource.format else resource.name
        lines.append(f"- [{label}]({resource.url})" if resource.url else f"- {label}")
    if not remote.resources:
        lines.append("See the source catalogue for the data.")
    return "\n".join(lines)


def dataset_input(remote: RemoteDataset, themes: dict[str, str]) -> DatasetInput:
    """The data store's metadata for a remote dataset. Its licence if we know it; otherwise
    the data is marked as having no open licence (and, as data without an open licence must
    be, not open), so nobody reuses it on a licence the source never gave."""
    licence = _licence(remote)
    section = data_from_section(remote)
    body = remote.description[: 20_000 - len(section) - 2].strip()
    keywords = [k[:50] for k in remote.keywords][:MAX_KEYWORDS]
    return DatasetInput(
        title=remote.title[:200],
        description=f"{body}\n\n{section}" if body else section,
        licence=licence,
        topics=sorted({themes[t] for t in remote.themes if t in themes}),
        keywords=keywords,
        temporal_start=remote.temporal_start,
        temporal_end=remote.temporal_end
        if not (remote.temporal_start and remote.temporal_end)
        or remote.temporal_end >= remote.temporal_start
        else None,
        frequency=remote.frequency if remote.frequency in Frequency.values else Frequency.IRREGULAR,
        contact_name=remote.contact_name[:150],
        contact_email=remote.contact_email[:254],
        access_level=AccessLevel.OPEN if licence != Licence.RESTRICTED else AccessLevel.SIGNED_IN,
    )
