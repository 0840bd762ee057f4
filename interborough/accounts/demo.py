"""Accounts demo content: people in every borough and role, partners, staff, tokens, invitations,
and a few organisations onboarded by platform staff (two suppliers and a voluntary body).

Every name is made up from common first names and surnames; every address is on the reserved
`.example` domain, so no real person is named or emailed. The onboarded organisations' names are
invented too, and their websites are on `.example`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from interborough.accounts import reference, services
from interborough.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    TokenScope,
    User,
)
from interborough.accounts.permissions import TWO_FACTOR_ROLES
from interborough.core.demo import DemoReport, DemoSecret, DemoSignIn
from interborough.core.errors import ApplicationError

DEMO_PASSWORD = "Thames-Clipper-2025"  # noqa: S105 - printed for everyone: it is a demo

# 37 and 41 are coprime, so pairing first name i % 37 with surname (3i + 5) % 41 never repeats.
FIRST_NAMES = [
    "Amara", "Tomasz", "Priya", "Kwame", "Siobhan", "Yusuf", "Chloe", "Oluwaseun", "Mei", "Rhys",
    "Fatima", "Daniel", "Aisha", "Luca", "Hannah", "Arjun", "Niamh", "Kofi", "Zainab", "Oskar",
    "Grace", "Bilal", "Eleanor", "Darius", "Leah", "Tariq", "Imogen", "Jamal", "Ruth", "Hamza",
    "Freya", "Chidi", "Ana", "Marcus", "Maryam", "Callum", "Nadia",
]  # fmt: skip
SURNAMES = [
    "Okafor", "Kowalski", "Patel", "Mensah", "Murphy", "Rahman", "Chen", "Adeyemi", "Shah",
    "Williams", "Ahmed", "Nguyen", "Begum", "Evans", "Hussain", "Clarke", "Novak", "Osei", "Ali",
    "Costa", "Taylor", "Khan", "Mitchell", "Boateng", "Kaur", "Green", "Da Silva", "Byrne",
    "Achterberg", "Hughes", "Demir", "Lewis", "Asante", "Walsh", "Iqbal", "Fernandes", "Brown",
    "Yilmaz", "Campbell", "Mahmood", "Reid",
]  # fmt: skip

JOB_TITLES = {
    Role.MEMBER: [
        "Data Analyst",
        "Service Designer",
        "Policy Officer",
        "Digital Project Manager",
        "Housing Insight Officer",
        "Business Analyst",
    ],
    Role.PUBLISHER: [
        "Open Data Lead",
        "Performance and Insight Manager",
        "GIS Officer",
        "Data Engineer",
    ],
    Role.IG_LEAD: [
        "Information Governance Manager",
        "Data Protection Officer",
        "Information Governance Lead",
    ],
    Role.ORG_ADMIN: [
        "Head of Digital",
        "Chief Digital Officer",
        "Digital Transformation Lead",
        "Head of Data and Insight",
    ],
}
STAFF_TITLES = ["Platform Operations Lead", "Platform Support Officer"]

BOROUGH_ROLES = [Role.ORG_ADMIN, Role.IG_LEAD, Role.PUBLISHER, Role.MEMBER]
PARTNER_ROLES: dict[str, list[str]] = {
    "gla": [Role.ORG_ADMIN, Role.PUBLISHER, Role.MEMBER],
    "tfl": [Role.ORG_ADMIN, Role.PUBLISHER],
    "london-fire-brigade": [Role.ORG_ADMIN, Role.MEMBER],
    "met-police": [Role.IG_LEAD, Role.MEMBER],
    "london-councils": [Role.ORG_ADMIN, Role.MEMBER],
    "loti": [Role.ORG_ADMIN, Role.MEMBER],
    "nhs-nel-icb": [Role.IG_LEAD, Role.MEMBER],
    "ucl": [Role.ORG_ADMIN, Role.MEMBER],
}
STAFF_ORGANISATION = "loti"
STAFF_COUNT = 2


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation platform staff onboard in the demo (not reference data)."""

    name: str
    slug: str  # what organisation_create makes of the name
    type: str
    short_name: str
    website: str
    description: str
    roles: tuple[str, ...] = (Role.ORG_ADMIN, Role.MEMBER)


DEMO_ORGANISATIONS = [
    DemoOrganisation(
        name="Quillfern Data Ltd",
        slug="quillfern-data-ltd",
        type=OrganisationType.SUPPLIER,
        short_name="Quillfern",
        website="https://www.quillfern.example",
        description="A small London firm that builds open-source data pipelines for councils.",
    ),
    DemoOrganisation(
        name="Brindlewick Co-operative",
        slug="brindlewick-co-operative",
        type=OrganisationType.SUPPLIER,
        short_name="Brindlewick",
        website="https://brindlewick.example",
        description="A worker co-operative of service designers and developers.",
    ),
    DemoOrganisation(
        name="Ferncastle Digital Inclusion Network",
        slug="ferncastle-digital-inclusion-network",
        type=OrganisationType.VOLUNTARY_SECTOR,
        short_name="Ferncastle Network",
        website="https://www.ferncastle-inclusion.example",
        description="Volunteers lending devices and teaching digital skills in libraries.",
    ),
]
FEATURED = {"camden", "hackney", "gla", "quillfern-data-ltd"}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    organisation: str  # slug
    role: str
    is_staff: bool = False


@dataclass(frozen=True)
class DemoToken:
    organisation: str
    role: str
    name: str
    scope: str
    days: int


# The Camden member's token runs out soon, so their home page has something that needs attention.
DEMO_TOKENS = [
    DemoToken("camden", Role.MEMBER, "Ward profiles dashboard", TokenScope.READ, 10),
    DemoToken("hackney", Role.PUBLISHER, "Open data publishing job", TokenScope.WRITE, 180),
    DemoToken("gla", Role.PUBLISHER, "London Datastore sync", TokenScope.READ, 90),
]
DEMO_INVITATIONS = [
    ("camden", "kemi.adebayo@camden.example", Role.MEMBER),
    ("hackney", "sam.oduya@hackney.example", Role.PUBLISHER),
]


def _email(first: str, last: str, organisation: str) -> str:
    local = "".join(c for c in f"{first}.{last}".lower() if c.isalnum() or c == ".")
    return f"{local}@{organisation}.example"


def demo_people() -> list[DemoPerson]:
    """The demo people, always the same list in the same order."""
    slots: list[tuple[str, str, bool]] = [
        (org.slug, role, False) for org in reference.LOCAL_AUTHORITIES for role in BOROUGH_ROLES
    ]
    slots += [(slug, role, False) for slug, roles in PARTNER_ROLES.items() for role in roles]
    slots += [(STAFF_ORGANISATION, Role.MEMBER, True)] * STAFF_COUNT
    # Last, so that adding them changed nobody else's name or email address.
    slots += [(org.slug, role, False) for org in DEMO_ORGANISATIONS for role in org.roles]
    people = []
    staff_seen = 0
    for i, (slug, role, is_staff) in enumerate(slots):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = SURNAMES[(3 * i + 5) % len(SURNAMES)]
        if is_staff:
            title = STAFF_TITLES[staff_seen % len(STAFF_TITLES)]
            staff_seen += 1
        else:
            titles = JOB_TITLES[Role(role)]
            title = titles[i % len(titles)]
        people.append(
            DemoPerson(
                email=_email(first, last, slug),
                full_name=f"{first} {last}",
                job_title=title,
                organisation=slug,
                role=role,
                is_staff=is_staff,
            )
        )
    return people


def _ensure_person(person: DemoPerson, organisation: Organisation) -> User:
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = services.user_create(
            by=None,
            email=person.email,
            full_name=person.full_name,
            password=DEMO_PASSWORD,
            is_staff=person.is_staff,
            job_title=person.job_title,
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        services.membership_create(by=None, user=user, organisation=organisation, role=person.role)
    return user


def _sign_in(person: DemoPerson, organisation: Organisation) -> DemoSignIn:
    return DemoSignIn(
        email=person.email,
        full_name=person.full_name,
        job_title=person.job_title,
        organisation=organisation.short_name or organisation.name,
        role="platform staff" if person.is_staff else Role(person.role).label.lower(),
        two_factor=person.is_staff or person.role in TWO_FACTOR_ROLES,
        featured=person.is_staff or person.organisation in FEATURED,
    )


def _issue_tokens(report: DemoReport, people: dict[tuple[str, str], User]) -> None:
    """Revoke last run's demo tokens and issue fresh ones, so the printed secrets always work."""
    orgs = Organisation.objects.in_bulk([t.organisation for t in DEMO_TOKENS], field_name="slug")
    for spec in DEMO_TOKENS:
        user = people[(spec.organisation, spec.role)]
        for old in ApiToken.objects.filter(user=user, name=spec.name, revoked_at__isnull=True):
            services.api_token_revoke(by=user, token=old)
        _, issued = services.api_token_create(
            by=user,
            name=spec.name,
            scope=spec.scope,
            expires_at=timezone.now() + timedelta(days=spec.days),
            organisation=orgs[spec.organisation],
        )
        report.secrets.append(
            DemoSecret(
                "API tokens",
                f"{spec.name} ({spec.scope}, {spec.days} days)",
                user.email,
                issued.secret,
            )
        )


def _invite(report: DemoReport, people: dict[tuple[str, str], User]) -> None:
    """Open invitations from borough admins; last run's open ones are withdrawn and re-sent."""
    for slug, email, role in DEMO_INVITATIONS:
        admin = people[(slug, Role.ORG_ADMIN)]
        organisation = Organisation.objects.get(slug=slug)
        for old in Invitation.objects.filter(organisation=organisation, email=email):
            if old.is_open:
                services.invitation_revoke(by=admin, invitation=old)
        try:
            _, issued = services.invitation_create(
                by=admin, organisation=organisation, email=email, role=role
            )
        except ApplicationError:
            continue  # the invitee already joined in an earlier run
        link = settings.SITE_URL + reverse("accounts:invitation-accept", args=[issued.secret])
        report.secrets.append(
            DemoSecret(
                "Invitation links",
                f"{email} as {Role(role).label.lower()}",
                admin.email,
                link,
                headings=("Invitation", "Sent by", "Link"),
            )
        )


def _onboard(spec: DemoOrganisation, staff: User | None) -> Organisation:
    """The demo organisation, added by platform staff through the service on the first run."""
    existing = Organisation.objects.filter(name__iexact=spec.name).first()
    if existing is not None:
        return existing
    if staff is None:
        raise ApplicationError("The demo staff must exist before they onboard organisations.")
    return services.organisation_create(
        by=staff,
        name=spec.name,
        type=spec.type,
        short_name=spec.short_name,
        website=spec.website,
        description=spec.description,
    )


def load(report: DemoReport) -> None:
    """Create the demo people, tokens and invitations (idempotent; writes through services)."""
    organisations = Organisation.objects.in_bulk(field_name="slug")
    onboarded = {spec.slug: spec for spec in DEMO_ORGANISATIONS}
    people: dict[tuple[str, str], User] = {}
    staff: User | None = None
    report.password = DEMO_PASSWORD
    for person in demo_people():
        organisation = organisations.get(person.organisation)
        if organisation is None and person.organisation in onboarded:
            organisation = _onboard(onboarded[person.organisation], staff)
            organisations[person.organisation] = organisation
        if organisation is None:
            raise ApplicationError(
                f"Organisation {person.organisation!r} is missing: load the reference "
                "organisations first (interborough organisations load)."
            )
        user = _ensure_person(person, organisation)
        people.setdefault((person.organisation, person.role), user)
        if person.is_staff and staff is None:
            staff = user
        report.sign_ins.append(_sign_in(person, organisation))
    _issue_tokens(report, people)
    _invite(report, people)
