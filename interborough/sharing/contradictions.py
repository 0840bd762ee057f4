"""Contradictions: answers that are each valid on their own but cannot all be true together.

The schema checks each value's shape; `section_state` checks that answers were given; this module
checks that they agree with each other (an end date before the start, special category data with
no Article 9 condition, a linkage key that is never shared). Each problem points at the value to
change and says why, in words an IG lead can act on.

Reads defensively: a value of the wrong type (already a schema problem) is skipped, never a crash.
Pure Python (no Django).
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

from interborough.sharing.reading import as_list, iso_date, obj
from interborough.sharing.schema import Problem
from interborough.sharing.vocab import ARTICLE9_NEEDING_SCHEDULE1

KEYED = frozenset({"keyed_hash", "keyed_bloom"})
CONTROLLING = frozenset({"controller", "joint_controller"})
MAX_RETENTION_MONTHS = 1200  # 100 years: anything longer is a typing error, not a policy
MAX_BREACH_HOURS = 72  # UK GDPR Article 33: the controller tells the ICO within 72 hours


def _number(value: Any) -> int | float | None:
    """A number, or None (bool is an int in Python, but never a count)."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _strings(value: Any) -> list[str]:
    return [item for item in as_list(value) if isinstance(item, str) and item]


def _dates(document: dict[str, Any]) -> Iterator[Problem]:
    dates = obj(document.get("dates"))
    start, end, review = (iso_date(dates.get(key)) for key in ("start", "end", "review"))
    if start and end and end <= start:
        # The review window is meaningless until the dates themselves agree: one root cause.
        yield Problem("dates.end", "The end date must be after the start date.")
    elif review and start and review < start:
        yield Problem("dates.review", "The review date must not be before the start date.")
    elif review and end and review > end:
        yield Problem("dates.review", "The review date must not be after the end date.")
    dpia_date = iso_date(obj(document.get("dpia")).get("date"))
    if dpia_date and start and dpia_date > start:
        yield Problem(
            "dpia.date",
            "The DPIA must be completed on or before the start date: sharing cannot begin "
            "before its risks are assessed.",
        )


def _parties(document: dict[str, Any]) -> Iterator[Problem]:
    parties = [obj(p) for p in as_list(document.get("parties"))]
    if len(parties) < 2:
        yield Problem("parties", "A sharing agreement needs at least two parties.")
    seen: set[str] = set()
    for index, party in enumerate(parties):
        slug = party.get("organisation")
        if isinstance(slug, str) and slug:
            if slug in seen:
                yield Problem(
                    f"parties.{index}.organisation",
                    f"'{slug}' is listed as a party more than once; list each organisation once.",
                )
            seen.add(slug)
    roles = {party.get("role") for party in parties}
    if "processor" in roles and not roles & CONTROLLING:
        yield Problem(
            "parties",
            "A processor only acts on a controller's instructions: make at least one party a "
            "controller or joint controller.",
        )


def party_slugs(document: dict[str, Any]) -> set[str]:
    """The organisation slugs of the document's parties."""
    return {
        slug
        for party in as_list(document.get("parties"))
        if isinstance(slug := obj(party).get("organisation"), str) and slug
    }


def _fields(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, field) for every field of every dataset."""
    for d_index, dataset in enumerate(as_list(obj(document.get("data")).get("datasets"))):
        for f_index, field in enumerate(as_list(obj(dataset).get("fields"))):
            if isinstance(field, dict):
                yield f"data.datasets.{d_index}.fields.{f_index}", field


def _legal_basis(document: dict[str, Any]) -> Iterator[Problem]:
    legal = obj(document.get("legal_basis"))
    sensitivities = {field.get("sensitivity") for _, field in _fields(document)}
    article9 = set(_strings(legal.get("article9_conditions")))
    if "special_category" in sensitivities and not article9:
        yield Problem(
            "legal_basis.article9_conditions",
            "Some fields are special category data: choose the UK GDPR Article 9 condition "
            "that allows sharing them.",
        )
    needing = sorted(article9 & ARTICLE9_NEEDING_SCHEDULE1)
    if needing and not _strings(legal.get("schedule1_conditions")):
        letters = ", ".join(f"9(2)({code[-1]})" for code in needing)
        yield Problem(
            "legal_basis.schedule1_conditions",
            f"Article {letters} also needs a Data Protection Act 2018 Schedule 1 condition: "
            "choose one.",
        )
    condition = legal.get("article10_condition")
    if "criminal_offence" in sensitivities and not (isinstance(condition, str) and condition):
        yield Problem(
            "legal_basis.article10_condition",
            "Some fields are criminal offence data: choose the Article 10 condition that allows "
            "sharing them.",
        )


def _data(document: dict[str, Any]) -> Iterator[Problem]:
    parties = party_slugs(document)
    datasets = as_list(obj(document.get("data")).get("datasets"))
    keys: Counter[str] = Counter()
    catalogue: Counter[str] = Counter()
    for index, dataset in enumerate(datasets):
        dataset = obj(dataset)
        path = f"data.datasets.{index}"
        key, linked = dataset.get("key"), dataset.get("catalogue_dataset")
        if isinstance(key, str) and key:
            keys[key] += 1
            if keys[key] == 2:
                yield Problem(f"{path}.key", f"Another dataset already has the key '{key}'.")
        if isinstance(linked, str) and linked:
            catalogue[linked] += 1
            if catalogue[linked] == 2:
                yield Problem(
                    f"{path}.catalogue_dataset",
                    f"The catalogue dataset '{linked}' is already listed; list each dataset once.",
                )
        provider = dataset.get("provided_by")
        if isinstance(provider, str) and provider and provider not in parties:
            yield Problem(
                f"{path}.provided_by",
                f"'{provider}' provides this dataset but is not a party: add it as a party or "
                "choose a party.",
            )
        names: Counter[str] = Counter()
        for f_index, field in enumerate(as_list(dataset.get("fields"))):
            name = obj(field).get("name")
            if isinstance(name, str) and name:
                names[name] += 1
                if names[name] == 2:
                    yield Problem(
                        f"{path}.fields.{f_index}.name",
                        f"The field '{name}' is listed twice in this dataset.",
                    )
        period = _number(obj(dataset.get("retention")).get("period_months"))
        if period is not None and not 1 <= period <= MAX_RETENTION_MONTHS:
            yield Problem(
                f"{path}.retention.period_months",
                f"Keep the data for between 1 and {MAX_RETENTION_MONTHS:,} months (it says "
                f"{period}).",
            )


def _linkage(document: dict[str, Any]) -> Iterator[Problem]:
    linkage = obj(obj(document.get("processing")).get("linkage"))
    method, keys = linkage.get("method"), _strings(linkage.get("keys"))
    transformations: dict[str, set[Any]] = {}
    keyed_paths = []
    for path, field in _fields(document):
        name = field.get("name")
        if isinstance(name, str) and name:
            transformations.setdefault(name, set()).add(field.get("transformation"))
        if field.get("transformation") in KEYED:
            keyed_paths.append(path)
    for index, key in enumerate(keys):
        path = f"processing.linkage.keys.{index}"
        if key not in transformations:
            yield Problem(path, f"The linkage key '{key}' is not a field of any dataset.")
        elif transformations[key] == {"dropped"}:
            yield Problem(
                path, f"The linkage key '{key}' is dropped, so records cannot be linked on it."
            )
    if method == "none":
        if keys:
            yield Problem(
                "processing.linkage.keys",
                "Records are not linked, so there should be no linkage keys: remove them or "
                "choose a linkage method.",
            )
        for path in keyed_paths:
            yield Problem(
                f"{path}.transformation",
                "Keyed hashes and Bloom filters are only for linking records, but the linkage "
                "method is none: share the field in the clear, drop it, or choose a linkage "
                "method.",
            )


def _processing(document: dict[str, Any]) -> Iterator[Problem]:
    processing = obj(document.get("processing"))
    parties = party_slugs(document)
    for index, recipient in enumerate(_strings(processing.get("recipients"))):
        if recipient not in parties:
            yield Problem(
                f"processing.recipients.{index}",
                f"'{recipient}' receives the data but is not a party: add it as a party or "
                "remove it.",
            )
    profile = processing.get("output_disclosure_profile")
    if "release" in _strings(processing.get("permitted_operations")) and not isinstance(
        profile, dict
    ):
        yield Problem(
            "processing.output_disclosure_profile",
            "Outputs may be released, so set the disclosure rules they must pass.",
        )
    profile = obj(profile)
    at_least_one = [
        ("minimum_cell_count", "The minimum cell count"),
        ("rounding_base", "The rounding base (1 for no rounding)"),
        ("dominance_n", "The number of dominant contributors"),
    ]
    for key, label in at_least_one:
        value = _number(profile.get(key))
        if value is not None and value < 1:
            yield Problem(
                f"processing.output_disclosure_profile.{key}",
                f"{label} must be at least 1 (it is {value}).",
            )
    percent = _number(profile.get("dominance_percent"))
    if percent is not None and not 1 <= percent <= 100:
        yield Problem(
            "processing.output_disclosure_profile.dominance_percent",
            f"The dominance percentage must be between 1 and 100 (it is {percent}).",
        )


def _rights_and_register(document: dict[str, Any]) -> Iterator[Problem]:
    hours = _number(obj(document.get("rights")).get("breach_notification_hours"))
    if hours is not None and hours > MAX_BREACH_HOURS:
        yield Problem(
            "rights.breach_notification_hours",
            f"Parties must report a breach within {MAX_BREACH_HOURS} hours at most (it says "
            f"{hours}): UK GDPR Article 33 requires the controller to notify the ICO within "
            "72 hours.",
        )
    elif hours is not None and hours < 1:
        yield Problem(
            "rights.breach_notification_hours",
            f"Give a window of at least 1 hour for reporting a breach (it says {hours}).",
        )
    register = obj(document.get("register"))
    summary = register.get("public_summary")
    if register.get("publish") is True and not (isinstance(summary, str) and summary.strip()):
        yield Problem(
            "register.public_summary",
            "The agreement will be published in the register, so write its public summary.",
        )


_CHECKS = (_dates, _parties, _legal_basis, _data, _linkage, _processing, _rights_and_register)


def contradictions(document: dict[str, Any]) -> list[Problem]:
    """Every contradiction between the document's answers, in section order."""
    document = obj(document)
    return [problem for check in _CHECKS for problem in check(document)]
