"""There is no data flow without an active agreement: for any agreements and any request,
`decide` allows exactly when an oracle written independently here says every condition holds."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from interborough.accounts.models import Membership
from interborough.catalogue.models import AccessLevel, DatasetStatus
from interborough.sharing.models import (
    AgreementDataset,
    AgreementParty,
    AgreementStatus,
    DataSharingAgreement,
)
from interborough.sharing.policy import decide
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.catalogue import DatasetFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = 4
DATASETS = 3
FIELD_NAMES = ("uprn", "surname", "ward")
TRANSFORMATIONS = ("clear", "keyed_hash", "keyed_bloom", "dropped")
ACTIONS = ("read", "download", "upload", "link", "aggregate", "release")
PURPOSES = ("dpv:ServiceProvision", "dpv:ResearchAndDevelopment", "dpv:Marketing")

# Written out here, not imported, so the oracle does not share the code under test.
USABLE = {
    "read": {"clear"},
    "download": {"clear"},
    "upload": {"clear", "keyed_hash", "keyed_bloom"},
    "link": {"clear", "keyed_hash", "keyed_bloom"},
    "aggregate": {"clear", "keyed_hash", "keyed_bloom"},
    "release": {"clear"},
}

agreements_strategy = st.lists(
    st.fixed_dictionaries(
        {
            # Weighted towards active agreements, so that allowed requests are common too.
            "status": st.sampled_from([*["active"] * 6, *AgreementStatus.values]),
            # Short windows near today, often: the boundaries (start, end) are where bugs hide.
            "start": st.integers(min_value=-2, max_value=1) | st.integers(-10, 10),
            "length": st.integers(min_value=1, max_value=3) | st.integers(1, 30),
            "parties": st.sets(st.integers(0, ORGANISATIONS - 1), min_size=1),
            "coverage": st.dictionaries(
                st.integers(0, DATASETS - 1),
                st.dictionaries(
                    st.sampled_from(FIELD_NAMES),
                    st.sampled_from([*TRANSFORMATIONS, "clear", "clear", "keyed_hash"]),
                ),
                min_size=1,
            ),
            "operations": st.sets(st.sampled_from(ACTIONS), min_size=3),
            "purposes": st.sets(st.sampled_from(PURPOSES[:2])),
        }
    ),
    min_size=1,
    max_size=5,
)
request_strategy = st.fixed_dictionaries(
    {
        "memberships": st.sets(st.integers(0, ORGANISATIONS - 1), min_size=1, max_size=2),
        "token": st.booleans(),
        "dataset": st.integers(0, DATASETS - 1),
        "fields": st.none() | st.sets(st.sampled_from(FIELD_NAMES), min_size=1),
        "action": st.sampled_from(ACTIONS),
        "purpose": st.none() | st.sampled_from(PURPOSES),
        "day": st.integers(min_value=-2, max_value=2) | st.integers(min_value=-12, max_value=32),
    }
)


def oracle(agreements, request, acting_for):
    """Allowed iff some agreement meets every condition (the issue's rule, restated)."""
    organisations = {acting_for} if acting_for is not None else request["memberships"]
    for agreement in agreements:
        start = agreement["start"]
        fields_listed = agreement["coverage"].get(request["dataset"])
        if fields_listed is None:
            continue
        wanted = request["fields"] if request["fields"] is not None else set(fields_listed)
        if (
            agreement["status"] == "active"
            and start <= request["day"] < start + agreement["length"]
            and organisations & agreement["parties"]
            and all(fields_listed.get(f) in USABLE[request["action"]] for f in wanted)
            and request["action"] in agreement["operations"]
            and (request["purpose"] is None or request["purpose"] in agreement["purposes"])
        ):
            return True
    return False


@pytest.fixture
def world(db):
    organisations = [OrganisationFactory() for _ in range(ORGANISATIONS)]
    datasets = [
        DatasetFactory(
            publisher=organisations[0],
            status=DatasetStatus.PUBLISHED,
            access_level=AccessLevel.RESTRICTED,
        )
        for _ in range(DATASETS)
    ]
    return organisations, datasets, UserFactory()


def _write(agreements, organisations, datasets, today):
    """Every generated agreement, its parties and coverage, in three bulk inserts."""
    DataSharingAgreement.objects.all().delete()
    rows = DataSharingAgreement.objects.bulk_create(
        DataSharingAgreement(
            reference=f"DSA-PROP-{n:04d}",
            title=f"Generated {n}",
            status=a["status"],
            start_date=today + timedelta(days=a["start"]),
            end_date=today + timedelta(days=a["start"] + a["length"]),
            lead_organisation=organisations[min(a["parties"])],
            document={
                "processing": {"permitted_operations": sorted(a["operations"])},
                "purpose": {"dpv_purposes": sorted(a["purposes"])},
            },
        )
        for n, a in enumerate(agreements)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=row, organisation=organisations[p], role="controller")
        for row, a in zip(rows, agreements, strict=True)
        for p in a["parties"]
    )
    AgreementDataset.objects.bulk_create(
        AgreementDataset(agreement=row, key=f"d{d}", dataset=datasets[d], fields=fields)
        for row, a in zip(rows, agreements, strict=True)
        for d, fields in a["coverage"].items()
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(agreements=agreements_strategy, request=request_strategy, pick=st.randoms())
def test_decide_allows_exactly_when_every_condition_holds(world, agreements, request, pick):
    organisations, datasets, actor = world
    today = timezone.localdate()
    _write(agreements, organisations, datasets, today)
    Membership.objects.filter(user=actor).delete()
    Membership.objects.bulk_create(
        Membership(user=actor, organisation=organisations[m]) for m in request["memberships"]
    )
    acting_for = pick.choice(sorted(request["memberships"])) if request["token"] else None
    actor.acting_organisation_id = organisations[acting_for].pk if acting_for is not None else None
    day = today + timedelta(days=request["day"])

    decision = decide(
        actor=actor,
        action=request["action"],
        dataset=datasets[request["dataset"]],
        fields=request["fields"],
        purpose=request["purpose"],
        at=timezone.make_aware(datetime.combine(day, time(12))),
    )

    expected = oracle(agreements, request, acting_for)
    event("allowed" if expected else f"denied: {decision.code}")
    assert decision.allowed is expected
    if decision.allowed:
        assert decision.agreement.status == AgreementStatus.ACTIVE
