"""Fetching from another catalogue, safely, and what a harvested dataset looks like.

Pure (no Django models): the CKAN and DCAT clients (harvest_ckan.py, harvest_dcat.py) use
`fetch`, which gives every request a connect and read timeout, stops a response that runs past
the whole harvest's deadline or grows past a size limit, follows only a few redirects and only
to http(s), and (unless allowed) refuses addresses on private networks, so a harvest source
cannot be used to reach the platform's own internal services.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "Interborough-harvester/1.0 (+https://github.com/interborough)"
MAX_REDIRECTS = 3


class HarvestError(Exception):
    """The source could not be harvested; the message says why, for the job history."""


@dataclass(frozen=True)
class Limits:
    connect_seconds: float = 5.0
    read_seconds: float = 20.0
    total_seconds: float = 600.0  # the whole harvest, every page together
    max_bytes: int = 20 * 1024 * 1024  # one response
    max_pages: int = 200
    page_rows: int = 100  # CKAN rows per page
    allow_private: bool = False  # let tests (and trusted set-ups) harvest from loopback


@dataclass
class Deadline:
    """The moment the whole harvest must stop by."""

    limits: Limits
    ends_at: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.ends_at = time.monotonic() + self.limits.total_seconds

    def check(self) -> None:
        if time.monotonic() > self.ends_at:
            raise HarvestError(
                f"The harvest took longer than {self.limits.total_seconds:g} seconds and stopped."
            )


@dataclass(frozen=True)
class RemoteResource:
    name: str
    url: str
    format: str = ""


@dataclass(frozen=True)
class RemoteDataset:
    """A dataset as the remote catalogue describes it (not yet checked or cleaned)."""

    identifier: str
    title: str
    description: str = ""
    landing_url: str = ""
    keywords: tuple[str, ...] = ()
    licence_url: str = ""
    licence_id: str = ""
    contact_name: str = ""
    contact_email: str = ""
    themes: tuple[str, ...] = ()  # EU data theme codes
    gss_codes: tuple[str, ...] = ()  # places named by ONS GSS code
    frequency: str = ""  # EU frequency code
    temporal_start: date | None = None
    temporal_end: date | None = None
    resources: tuple[RemoteResource, ...] = ()


def client(limits: Limits) -> httpx.Client:
    timeout = httpx.Timeout(
        connect=limits.connect_seconds, read=limits.read_seconds, write=5.0, pool=5.0
    )
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
    )


def check_url(url: str, limits: Limits) -> None:
    """An http(s) URL whose host is on the public internet (unless private ones are allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HarvestError(f"Only http and https addresses can be harvested, not “{url[:100]}”.")
    if limits.allow_private:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80)}
    except OSError:
        raise HarvestError(f"The host {parts.hostname} could not be found.") from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not ip.is_global:
            raise HarvestError(
                f"{parts.hostname} is on a private network, which harvesting may not reach."
            )


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


def fetch(http: httpx.Client, url: str, limits: Limits, deadline: Deadline) -> Fetched:
    """GET `url` within the limits: the body of a 2xx answer."""
    for _hop in range(MAX_REDIRECTS + 1):
        deadline.check()
        check_url(url, limits)
        try:
            with http.stream("GET", url) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise HarvestError(f"{url[:200]} answered HTTP {response.status_code}.")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    raise HarvestError(_too_big(url, limits))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limits.max_bytes:
                        raise HarvestError(_too_big(url, limits))
                    deadline.check()
                content_type = response.headers.get("content-type", "")
                return Fetched(url, content_type.split(";")[0].strip().lower(), bytes(body))
        except httpx.TimeoutException:
            raise HarvestError(f"{url[:200]} did not answer in time.") from None
        except httpx.HTTPError as error:
            raise HarvestError(f"{url[:200]} could not be fetched: {error}"[:300]) from None
    raise HarvestError(f"{url[:200]} redirected more than {MAX_REDIRECTS} times.")


def _too_big(url: str, limits: Limits) -> str:
    return f"{url[:200]} sent more than {limits.max_bytes // (1024 * 1024)} MB in one response."
