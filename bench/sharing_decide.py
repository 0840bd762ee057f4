"""Benchmark: the policy decision point with 10,000 data sharing agreements (issue 5).

Builds, with bulk_create, about 40 organisations (London's 33 councils and their partners), an
analyst in each, 2,000 catalogue datasets with their fields, and 10,000 agreement versions in
every status (drafts, submitted, approved, active, suspended, expired, terminated; some
references with an earlier version) between two to four parties, each with a realistic
document (the shape of tests/factories/sharing.py's `full_document`), its party rows and its
coverage of one to three datasets with per-field transformations. Then times `policy.decide`
in-process, as the catalogue's restricted-data check calls it, for 2,000 mixed requests:
party members reading, uploading or linking covered fields (allowed), and outsiders, fields the
agreement drops, actions it does not permit, expired and draft agreements, and datasets no
agreement covers (denied). Each decision writes its audit event, as in production; the same
requests are then timed with the audit write switched off, to show what the write costs.

Runs on SQLite, then on PostgreSQL when the server at `--postgres` (default the local `test`
database's server) is reachable, each in its own process on a throwaway database. Prints
p50/p95/p99 next to the issue's aim (p99 under 5 ms) and writes its section of
bench/results.md (between markers, the rest is left alone).
"""

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from bench.common import RESULTS, load_average, machine, setup_django, write_section  # noqa: E402

AIM_P99_MS = 5.0
PG_URL = "postgres://postgres@127.0.0.1:5432/test"
TODAY = date.today()
UNUSABLE = "!"  # Django's marker for an unusable password: nobody signs in as these analysts

# What councils share, by collaboration: (title, dataset subjects, DPV purposes).
COLLABORATIONS = [
    ("Cross-borough temporary accommodation placements", "housing",
     ["dpv:ServiceProvision", "dpv:PublicBenefit"]),
    ("Free school meals auto-enrolment", "education",
     ["dpv:ServiceProvision", "dpv:EnforceSecurity"]),
    ("Cost of living support targeting", "benefits",
     ["dpv:ServiceProvision", "dpv:ResearchAndDevelopment"]),
    ("Adult social care hospital discharge", "care",
     ["dpv:ServiceProvision", "dpv:HumanResourceManagement"]),
    ("Rough sleeping outreach coordination", "housing", ["dpv:PublicBenefit"]),
    ("Fuel poverty and retrofit targeting", "energy",
     ["dpv:ResearchAndDevelopment", "dpv:PublicBenefit"]),
]  # fmt: skip
# Dataset subjects: (title words, field names with their usual sensitivity).
SUBJECTS: dict[str, tuple[list[str], list[str]]] = {
    "housing": (["Temporary accommodation placements", "Housing register", "Homelessness cases"],
                ["household_id", "surname", "date_of_birth", "postcode", "placing_borough",
                 "placement_start", "placement_end", "household_size", "priority_need"]),
    "education": (["Pupil census", "Free school meals eligibility", "School admissions"],
                  ["pupil_id", "upn", "surname", "date_of_birth", "school_urn", "year_group",
                   "fsm_eligible", "postcode"]),
    "benefits": (["Housing benefit claims", "Council tax support", "Discretionary payments"],
                 ["claim_id", "nino", "surname", "postcode", "award_amount", "household_size",
                  "award_start", "ward_code"]),
    "care": (["Adult social care referrals", "Care packages", "Hospital discharges"],
             ["person_id", "nhs_number", "surname", "date_of_birth", "referral_source",
              "package_type", "weekly_hours", "discharge_date"]),
    "energy": (["EPC ratings", "Retrofit grants", "Fuel poverty estimates"],
               ["uprn", "postcode", "epc_band", "grant_amount", "tenure", "ward_code",
                "heating_type"]),
}  # fmt: skip
IDENTIFIERS = {"household_id", "surname", "date_of_birth", "pupil_id", "upn", "claim_id",
               "nino", "person_id", "nhs_number", "uprn", "postcode"}  # fmt: skip
OPERATIONS = ["read", "download", "upload", "link", "aggregate", "release"]
# The latest version of each reference, by share of agreements.
STATUS_MIX = [
    ("active", 52), ("expired", 10), ("terminated", 6), ("suspended", 4),
    ("approved", 4), ("submitted", 7), ("changes_requested", 3), ("draft", 14),
]  # fmt: skip


@dataclass
class Built:
    """What the benchmark needs from the database it built, to make requests against it."""

    organisations: list[Any]
    analysts: dict[int, Any]  # organisation id -> its analyst (a member)
    datasets: list[Any]
    uncovered: list[Any]  # datasets no agreement covers
    # (agreement status, parties' ids, dataset, {field: transformation}, operations)
    coverage: list[tuple[str, list[int], Any, dict[str, str], list[str]]] = field(
        default_factory=list
    )
    counts: Counter = field(default_factory=Counter)


def _weighted(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def _dates(rng: random.Random, status: str) -> tuple[date, date]:
    """Start and end dates that fit the status (active ones are inside their window)."""
    length = timedelta(days=rng.choice([365, 730, 1095]))
    if status in ("active", "suspended", "terminated"):
        start = TODAY - timedelta(days=rng.randint(1, length.days - 1))
    elif status == "expired":
        start = TODAY - length - timedelta(days=rng.randint(0, 400))
    else:  # not yet agreed, or agreed to start later
        start = TODAY + timedelta(days=rng.randint(1, 120))
    return start, start + length


def _document(
    *,
    reference: str,
    version: int,
    title: str,
    purposes: list[str],
    parties: list[tuple[Any, str]],
    start: date,
    end: date,
    datasets: list[tuple[Any, dict[str, str], Any]],
    operations: list[str],
) -> dict[str, Any]:
    """A complete agreement document: the tests' canonical one, with this agreement's title,
    purposes, parties and their roles, datasets and operations."""
    from tests.factories.sharing import dataset_entry, full_document

    document = full_document(
        [org for org, _ in parties],
        reference=reference,
        version=version,
        start=start,
        end=end,
        datasets=[
            dataset_entry(provider, key=dataset.slug[:60], catalogue_dataset=dataset.slug,
                          fields=fields)
            for dataset, fields, provider in datasets
        ],
        operations=operations,
    )  # fmt: skip
    document["title"] = title
    document["supersedes"] = version - 1 if version > 1 else None
    document["purpose"]["dpv_purposes"] = purposes
    document["register"]["public_summary"] = f"{title}: councils share only what each needs."
    for entry, (_, role) in zip(document["parties"], parties, strict=True):
        entry["role"] = role
    for entry, (dataset, _, _) in zip(document["data"]["datasets"], datasets, strict=True):
        entry["title"] = dataset.title
    return document


def build(rng: random.Random, *, agreements: int, datasets: int) -> Built:
    """Organisations, analysts, datasets and agreements, with bulk_create in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from interborough.accounts.models import Membership, Organisation, Role, User
    from interborough.accounts.reference import LOCAL_AUTHORITIES, PARTNERS
    from interborough.catalogue.models import AccessLevel, Dataset, DatasetStatus
    from interborough.sharing.models import (
        AgreementDataset,
        AgreementParty,
        DataSharingAgreement,
    )

    now = timezone.now()
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=r.name, slug=r.slug, short_name=r.short_name, type=r.type, gss_code=r.gss_code
            )
            for r in [*LOCAL_AUTHORITIES, *PARTNERS]
        )
        users = User.objects.bulk_create(
            User(email=f"analyst@{o.slug}.gov.uk", full_name=f"{o.name} analyst", password=UNUSABLE)
            for o in organisations
        )
        Membership.objects.bulk_create(
            Membership(user=u, organisation=o, role=Role.MEMBER)
            for u, o in zip(users, organisations, strict=True)
        )
        subjects = list(SUBJECTS)
        dataset_fields: dict[str, list[str]] = {}
        rows = []
        for n in range(datasets):
            subject = subjects[n % len(subjects)]
            titles, names = SUBJECTS[subject]
            publisher = rng.choice(organisations)
            slug = f"{subject}-{publisher.slug}-{n}"
            dataset_fields[slug] = rng.sample(names, rng.randint(5, len(names)))
            rows.append(
                Dataset(
                    publisher=publisher,
                    title=f"{rng.choice(titles)} ({publisher.short_name or publisher.name})",
                    slug=slug,
                    description=f"{subject} records held by {publisher.name}.",
                    access_level=AccessLevel.RESTRICTED,
                    status=DatasetStatus.PUBLISHED,
                    published_at=now,
                )
            )
        stored = Dataset.objects.bulk_create(rows, batch_size=1000)
        # A tenth of the datasets are covered by no agreement at all.
        covered_pool = stored[: len(stored) * 9 // 10]
        built = Built(
            organisations=organisations,
            analysts={o.pk: u for o, u in zip(organisations, users, strict=True)},
            datasets=stored,
            uncovered=stored[len(covered_pool) :],
        )
        agreements_rows, pending = [], []
        number = 0
        while len(agreements_rows) < agreements:
            number += 1
            reference = f"DSA-{2020 + number % 7}-{number:05d}"
            versions = 2 if rng.random() < 0.15 else 1
            for version in range(1, versions + 1):
                latest = version == versions
                status = _weighted(rng, STATUS_MIX) if latest else "terminated"
                title, subject, purposes = rng.choice(COLLABORATIONS)
                parties = rng.sample(organisations, rng.randint(2, 4))
                roles = ["controller"] + [
                    rng.choice(["controller", "joint_controller", "processor"]) for _ in parties[1:]
                ]
                start, end = _dates(rng, status)
                chosen = []
                for dataset in rng.sample(covered_pool, rng.randint(1, 3)):
                    names = dataset_fields[dataset.slug]
                    fields = {
                        name: rng.choice(
                            ["clear", "clear", "keyed_hash", "keyed_bloom", "dropped"]
                            if name in IDENTIFIERS
                            else ["clear", "clear", "clear", "dropped"]
                        )
                        for name in names
                    }
                    chosen.append((dataset, fields, rng.choice(parties)))
                usual = {"read"} if rng.random() < 0.7 else set()
                operations = sorted(usual | set(rng.sample(OPERATIONS, rng.randint(1, 4))))
                document = _document(
                    reference=reference,
                    version=version,
                    title=title,
                    purposes=purposes,
                    parties=list(zip(parties, roles, strict=True)),
                    start=start,
                    end=end,
                    datasets=chosen,
                    operations=operations,
                )
                agreed = status in ("approved", "active", "suspended", "expired", "terminated")
                agreements_rows.append(
                    DataSharingAgreement(
                        reference=reference,
                        version=version,
                        title=title,
                        status=status,
                        start_date=start,
                        end_date=end,
                        review_date=start + timedelta(days=365),
                        lead_organisation=parties[0],
                        template="homelessness-ta" if subject == "housing" else "",
                        document=document,
                        text_hash=f"{number:064x}" if status != "draft" else "",
                        in_register=rng.random() < 0.95,
                        public_summary=document["register"]["public_summary"],
                        submitted_at=now if status != "draft" else None,
                        approved_at=now if agreed else None,
                        activated_at=now if agreed and status != "approved" else None,
                    )
                )
                pending.append((status, parties, roles, chosen, operations))
                built.counts[status] += 1
        stored_agreements = DataSharingAgreement.objects.bulk_create(
            agreements_rows, batch_size=500
        )
        parties_rows, coverage_rows = [], []
        for agreement, (status, parties, roles, chosen, operations) in zip(
            stored_agreements, pending, strict=True
        ):
            parties_rows += [
                AgreementParty(agreement=agreement, organisation=org, role=role)
                for org, role in zip(parties, roles, strict=True)
            ]
            for dataset, fields, provider in chosen:
                coverage_rows.append(
                    AgreementDataset(
                        agreement=agreement,
                        key=dataset.slug[:60],
                        dataset=dataset,
                        provided_by=provider,
                        fields=fields,
                    )
                )
                built.coverage.append(
                    (status, [p.pk for p in parties], dataset, fields, operations)
                )
        AgreementParty.objects.bulk_create(parties_rows, batch_size=2000)
        AgreementDataset.objects.bulk_create(coverage_rows, batch_size=2000)
        built.counts["parties"] = len(parties_rows)
        built.counts["coverage"] = len(coverage_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return built


# What each request in the mix is meant to show: allowed, or denied for one reason.
KINDS = ["allowed", "allowed", "allowed", "not a party", "field not covered",
         "action not permitted", "expired or not agreed", "no agreement"]  # fmt: skip


@dataclass(frozen=True)
class Request:
    kind: str  # what the request is meant to show (allowed, or why it is denied)
    actor: Any
    action: str
    dataset: Any
    fields: tuple[str, ...] | None


def requests(rng: random.Random, built: Built, count: int) -> list[Request]:
    """Mixed requests, half meant to be allowed and half denied for a variety of reasons."""
    usable = {
        "read": {"clear"},
        "download": {"clear"},
        "release": {"clear"},
        "upload": {"clear", "keyed_hash", "keyed_bloom"},
        "link": {"clear", "keyed_hash", "keyed_bloom"},
        "aggregate": {"clear", "keyed_hash", "keyed_bloom"},
    }
    active = [c for c in built.coverage if c[0] == "active"]
    ended = [c for c in built.coverage if c[0] in ("expired", "draft", "submitted")]
    out: list[Request] = []
    while len(out) < count:
        _status, party_ids, dataset, fields, operations = rng.choice(active)
        action = rng.choice(operations)
        wanted = [n for n, t in fields.items() if t in usable[action]]
        kind = KINDS[len(out) % len(KINDS)]
        actor = built.analysts[rng.choice(party_ids)]
        picked: tuple[str, ...] | None = tuple(rng.sample(wanted, min(len(wanted), 3)))
        if kind == "allowed" and not wanted:
            continue
        if kind == "not a party":
            outsiders = [o for o in built.organisations if o.pk not in party_ids]
            actor = built.analysts[rng.choice(outsiders).pk]
        elif kind == "field not covered":
            dropped = [n for n, t in fields.items() if t not in usable[action]]
            picked = (*(picked or ())[:2], rng.choice(dropped) if dropped else "national_insurance")
        elif kind == "action not permitted":
            refused = [op for op in OPERATIONS if op not in operations]
            if not refused:
                continue
            action, picked = rng.choice(refused), None
        elif kind == "expired or not agreed":
            _status, party_ids, dataset, fields, operations = rng.choice(ended)
            actor = built.analysts[rng.choice(party_ids)]
            action, picked = rng.choice(operations), None
        elif kind == "no agreement":
            dataset, action, picked = rng.choice(built.uncovered), "read", None
        out.append(Request(kind, actor, action, dataset, picked))
    return out


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def run(engine: str, args: argparse.Namespace) -> dict[str, Any]:
    """Build the database on this engine, time the requests, return the figures."""
    from bench.pipeline_search import throwaway_postgres

    folder = Path(tempfile.mkdtemp(prefix="interborough-bench-sharing-decide-"))
    database_url, drop = (None, None)
    if engine == "PostgreSQL":
        database_url, drop = throwaway_postgres(args.postgres)
    try:
        setup_django(folder, database_url=database_url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from interborough.core.models import AuditEvent
        from interborough.sharing import policy

        rng = random.Random(args.seed)
        started = time.perf_counter()
        built = build(rng, agreements=args.agreements, datasets=args.datasets)
        build_s = time.perf_counter() - started
        print(f"… {engine}: {sum(built.counts[s] for s, _ in STATUS_MIX):,} agreements built "
              f"in {build_s:.1f} s", file=sys.stderr, flush=True)  # fmt: skip
        asked = requests(rng, built, args.requests)

        def decide(request: Request) -> bool:
            return policy.decide(
                actor=request.actor,
                action=request.action,
                dataset=request.dataset,
                fields=request.fields,
            ).allowed

        for request in asked[:50]:  # warm-up: connections, statement caches, imports
            decide(request)
        audit_before = AuditEvent.objects.count()
        samples, outcomes = [], Counter()
        for request in asked:
            t0 = time.perf_counter()
            allowed = decide(request)
            samples.append((time.perf_counter() - t0) * 1000)
            outcomes[(request.kind, allowed)] += 1
        audited = AuditEvent.objects.count() - audit_before
        with CaptureQueriesContext(connection) as captured:
            decide(asked[0])
        queries = len(captured)
        # The same requests without the audit write: what the decision itself costs.
        record, policy._record = policy._record, lambda *a, **k: None
        try:
            bare = []
            for request in asked:
                t0 = time.perf_counter()
                decide(request)
                bare.append((time.perf_counter() - t0) * 1000)
        finally:
            policy._record = record
        by_kind: dict[str, list[float]] = {}
        for request, ms in zip(asked, samples, strict=True):
            by_kind.setdefault(request.kind, []).append(ms)
        return {
            "engine": engine,
            "build_s": build_s,
            "counts": dict(built.counts),
            "datasets": len(built.datasets),
            "uncovered": len(built.uncovered),
            "organisations": len(built.organisations),
            "samples": samples,
            "bare": bare,
            "by_kind": by_kind,
            "allowed": sum(n for (_, allowed), n in outcomes.items() if allowed),
            "outcomes": {f"{k}|{a}": n for (k, a), n in outcomes.items()},
            "audited": audited,
            "queries": queries,
        }
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(folder, ignore_errors=True)


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=2).close()
    except Exception:  # any failure means "skip PostgreSQL"
        return False
    return True


def child(engine: str, args: argparse.Namespace) -> dict[str, Any] | None:
    """Run one engine in its own process (Django is set up once per process)."""
    cli = [sys.executable, __file__, "--child", engine, "--agreements", str(args.agreements),
           "--datasets", str(args.datasets), "--requests", str(args.requests),
           "--seed", str(args.seed), "--postgres", args.postgres]  # fmt: skip
    result = subprocess.run(cli, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if result.returncode != 0:
        print(f"The {engine} run failed (exit {result.returncode}).", file=sys.stderr)
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def ms(value: float) -> str:
    return f"{value:.2f} ms"


def report(results: list[dict[str, Any]], args: argparse.Namespace, load_before: str) -> str:
    first = results[0]
    counts = first["counts"]
    statuses = ", ".join(f"{counts.get(s, 0):,} {s.replace('_', ' ')}" for s, _ in STATUS_MIX)
    lines = [
        "## Policy decision with 10,000 agreements (issue 5)",
        "",
        f"Written by `bench/sharing_decide.py` on {datetime.now(UTC):%Y-%m-%d %H:%M UTC}.",
        "",
        f"- Machine: {machine()}; load average {load_before} when the run started",
        f"- Data: {sum(counts.get(s, 0) for s, _ in STATUS_MIX):,} agreement versions "
        f"({statuses}), {counts.get('parties', 0):,} party rows, {counts.get('coverage', 0):,} "
        f"coverage rows over {first['datasets']:,} restricted catalogue datasets "
        f"({first['uncovered']:,} covered by none), {first['organisations']} organisations",
        f"- Requests: {args.requests:,} `policy.decide` calls in-process after 50 warm-up calls "
        f"({first['allowed']:,} allowed, {args.requests - first['allowed']:,} denied: outsiders, "
        "uncovered or dropped fields, unpermitted actions, expired or unagreed agreements, "
        f"uncovered datasets); {first['queries']} SQL statements per decision with its audit "
        "event",
        "",
        f"| Engine | Decisions | p50 | p95 | p99 | Worst | Aim: p99 < {AIM_P99_MS:.0f} ms |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        for label, samples in (
            ("with the audit write (as in production)", result["samples"]),
            ("without the audit write", result["bare"]),
        ):
            p99 = percentile(samples, 99)
            aim = ("met" if p99 < AIM_P99_MS else "NOT MET") if "production" in label else "n/a"
            lines.append(
                f"| {result['engine']} | {label} | {ms(statistics.median(samples))} | "
                f"{ms(percentile(samples, 95))} | {ms(p99)} | {ms(max(samples))} | {aim} |"
            )
    lines += ["", "By kind of request (with the audit write), p50 / p99:", ""]
    for result in results:
        kinds = "; ".join(
            f"{kind} {ms(statistics.median(s))} / {ms(percentile(s, 99))}"
            for kind, s in result["by_kind"].items()
        )
        lines.append(f"- {result['engine']}: {kinds}")
    lines += [
        "",
        "Building the data (not per request): "
        + ", ".join(f"{r['engine']} {r['build_s']:.1f} s" for r in results)
        + f". Every decision wrote its audit event ({first['audited']:,} for "
        f"{args.requests:,} decisions on {first['engine']}).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--datasets", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=PG_URL,
        help="the PostgreSQL server to make a throwaway database on (default: %(default)s)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the aim is not met")
    parser.add_argument("--child", choices=["SQLite", "PostgreSQL"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args)))
        return 0
    started = time.monotonic()
    load_before = load_average()
    engines = ["SQLite"]
    if args.no_postgres:
        pass
    elif postgres_reachable(args.postgres):
        engines.append("PostgreSQL")
    else:
        print(f"PostgreSQL not reachable at {args.postgres}: SQLite only.", file=sys.stderr)
    results = [r for engine in engines if (r := child(engine, args)) is not None]
    if not results:
        return 1
    text = report(results, args, load_before)
    print(text)
    if not args.no_write:
        write_section("sharing-decide", text)
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    print(f"Total time {time.monotonic() - started:.0f} s.")
    met = all(percentile(r["samples"], 99) < AIM_P99_MS for r in results)
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
