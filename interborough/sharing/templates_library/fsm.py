"""Template: free school meals auto-enrolment."""

from interborough.sharing.templates_library.build import (
    BREACH_HOURS,
    ENCRYPTION_AT_REST,
    ENCRYPTION_IN_TRANSIT,
    PUBLISH,
    SHARING_METHOD,
    STANDARD_PROFILE,
    UK_ONLY,
    Why,
    dataset,
    field,
    gateway,
)

KEY = "fsm-auto-enrolment"
TITLE = "Free school meals auto-enrolment"
SUMMARY = (
    "Match the council's housing benefit and council tax reduction records with pupil records "
    "to find children who are eligible for free school meals but not receiving them, confirm "
    "their eligibility and enrol them, with families able to opt out."
)
ARTICLE6 = Why(
    "public_task",
    "UK GDPR Article 6(1)(e), public task: the council's duty to provide free school lunches "
    "(Education Act 1996 s512ZB) and its benefits functions are set out in law (Article 6(3)). "
    "Consent is not the basis: families who have not applied could not be asked before they "
    "are found.",
)
_MATCH_WHY = (
    "The same field name in both datasets, encoded with the same key, so the hub can match a "
    "child's benefits record with their pupil record without seeing either."
)

BENEFITS = dataset(
    "benefit-households",
    "Housing benefit and council tax reduction households with children",
    "Households on the council's housing benefit or council tax reduction caseload with "
    "dependent children, with the benefit that makes the children eligible.",
    [
        field(
            "claim_reference",
            "personal",
            "direct",
            "keyed_hash",
            "To return each match to the benefits record it came from.",
            "The council re-identifies its own records from the keyed hash; the hub cannot.",
        ),
        field(
            "child_name",
            "personal",
            "direct",
            "keyed_bloom",
            "To match a dependent child on the claim with a pupil.",
            f"Names are recorded differently by schools and benefits teams, so a keyed Bloom "
            f"filter allows fuzzy matching. {_MATCH_WHY}",
        ),
        field(
            "date_of_birth",
            "personal",
            "quasi",
            "keyed_hash",
            "To tell apart children with similar names.",
            f"Matches exactly or not at all, so a keyed hash is enough. {_MATCH_WHY}",
        ),
        field(
            "home_postcode",
            "personal",
            "quasi",
            "keyed_hash",
            "To confirm the child lives at the claim's address.",
            f"Exact match on a normalised postcode. {_MATCH_WHY}",
        ),
        field(
            "qualifying_benefit",
            "personal",
            "attribute",
            "clear",
            "To record which qualifying benefit or income test under s512ZB(4) the household "
            "meets.",
            "A category needed in the clear to count take-up by benefit; financial information "
            "is personal data, not special category.",
        ),
        field(
            "parent_national_insurance_number",
            "personal",
            "direct",
            "dropped",
            "Not shared: listed so the agreement records that it stays with the council.",
            "The council needs it to confirm eligibility through the Eligibility Checking "
            "System, which it does on its own systems; the match works without it, so sharing "
            "it would add risk for no gain (data minimisation, UK GDPR Article 5(1)(c)).",
        ),
    ],
    months=Why(
        12,
        "A match is only useful until the next refresh; a year lets the council compare "
        "take-up with the previous school year.",
    ),
    deletion=Why(
        "Encodings and match results are deleted from the hub's storage and backups; the "
        "deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)).",
    ),
    why="Housing benefit and council tax reduction records show which households with children "
    "receive a qualifying benefit: the starting point for finding eligible children.",
)

PUPILS = dataset(
    "pupil-records",
    "Pupil records from the school census",
    "Pupils at the borough's schools from the school census, with whether they are already "
    "recorded as eligible for free school meals.",
    [
        field(
            "unique_pupil_number",
            "personal",
            "direct",
            "keyed_hash",
            "To return each match to the pupil record it came from.",
            "The unique pupil number identifies a child across every school in England, so it "
            "travels only as a keyed hash.",
        ),
        field(
            "child_name",
            "personal",
            "direct",
            "keyed_bloom",
            "To match a pupil with a dependent child on a benefits claim.",
            _MATCH_WHY,
        ),
        field(
            "date_of_birth",
            "personal",
            "quasi",
            "keyed_hash",
            "To tell apart pupils with similar names.",
            _MATCH_WHY,
        ),
        field(
            "home_postcode",
            "personal",
            "quasi",
            "keyed_hash",
            "To confirm the pupil lives at the claim's address.",
            _MATCH_WHY,
        ),
        field(
            "school_urn",
            "personal",
            "attribute",
            "clear",
            "To tell the right school that a pupil has been enrolled.",
            "A school's reference number, needed in the clear to route the result and count "
            "take-up by school.",
        ),
        field(
            "fsm_recorded",
            "personal",
            "attribute",
            "clear",
            "To find eligible pupils who are not yet receiving free school meals.",
            "Yes or no; needed in the clear to count the children the scheme reaches.",
        ),
    ],
    months=Why(12, "As for the benefits records: one school year plus comparison."),
    deletion=Why(
        "Encodings and match results are deleted from the hub's storage and backups; the "
        "deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)).",
    ),
    why="Pupil records show which children are at the borough's schools and whether they are "
    "already recorded as eligible, so only children missing out are found.",
)

FRAGMENT = {
    "purpose": {
        "description": Why(
            "To find children who are eligible for free school lunches but do not receive them, "
            "by matching the council's housing benefit and council tax reduction records with "
            "pupil records; to confirm each child's eligibility through the Department for "
            "Education's Eligibility Checking System; and to enrol them, telling each family "
            "and letting them opt out.",
            "Specific enough that matching for any other purpose (such as debt recovery) is "
            "plainly outside it (purpose limitation, UK GDPR Article 5(1)(b)).",
        ),
        "dpv_purposes": Why(
            ["dpv:ServiceProvision", "dpv:ServiceAccessDetermination"],
            "The sharing provides a service (school meals) and determines who can get it; the "
            "platform's policy check refuses a request that states another purpose.",
        ),
        "public_benefit": Why(
            "Children in low-income families get a free meal every school day without their "
            "family having to apply, and their schools receive the pupil premium funding that "
            "follows free school meals eligibility.",
            "Families who are eligible but have not applied are often those under most "
            "pressure; schools' pupil premium funding depends on eligibility being recorded.",
        ),
        "success_measures": Why(
            "The number of children enrolled automatically each term, the take-up rate of free "
            "school meals among eligible children, and the number of families who opt out.",
            "Opt-outs show whether families accept the scheme; take-up shows whether it works.",
        ),
    },
    "legal_basis": {
        "statutory_gateways": [
            gateway(
                "education-act-1996-s512zb",
                "Education Act 1996 ss512ZA and 512ZB (charges for school meals, and free "
                "school lunches and milk)",
                "s512ZB requires the council to provide free school lunches to eligible pupils "
                "at its maintained schools when they are asked for by or on behalf of the pupil, "
                "and s512ZB(4) and the orders made under it set out who is eligible; s512ZA "
                "governs charging everyone else. Academies provide free lunches on the same "
                "terms under their funding agreements. Writing to each family and letting them "
                "opt out keeps the family in control of the request.",
            ),
            gateway(
                "other",
                "Education Act 2005 s110 (supply of information: free school lunches etc.)",
                "s110(4) lets the DWP supply benefits information to a council to determine "
                "eligibility for free school lunches: the power behind the Eligibility Checking "
                "System, which confirms each child's eligibility before enrolment. The "
                "Children's Wellbeing and Schools Act 2026 (s33) widens s110, including to "
                "schools; check which of its provisions are in force.",
            ),
            gateway(
                "welfare-reform-act-2012-s131",
                "Welfare Reform Act 2012 s131 (information-sharing between the Secretary of "
                "State and relevant authorities)",
                "Housing benefit records are social security information the council holds "
                "for the DWP; s131 and the regulations made under it govern using them for "
                "purposes other than housing benefit. Take legal advice on whether they cover "
                "your use, or rely on the next gateway.",
            ),
            gateway(
                "digital-economy-act-2017-s35",
                "Digital Economy Act 2017 s35 (public service delivery), where needed",
                "Where no other power covers a disclosure, s35 allows councils to share for "
                "the objectives in the Digital Government (Disclosure of Information) "
                "Regulations 2018, such as supporting households facing multiple "
                "disadvantages. Sharing under s35 must follow the Act's code of practice.",
            ),
        ],
        "article9_conditions": Why(
            [], "None: benefits and school records here are personal data, not special category."
        ),
        "schedule1_conditions": Why([], "None needed: no field is special category."),
        "article10_condition": Why(None, "No criminal offence data is shared."),
    },
    "dpia": {
        "screening": {
            "criteria": Why(
                ["matching_datasets", "vulnerable_people", "ico_data_matching"],
                "The data is about children and low-income families, who are vulnerable people, "
                "and benefits records are matched with school records: matching data from "
                "several sources is on the ICO's high-risk list, so a full DPIA is required.",
            ),
        },
    },
    "data": {
        "datasets": [BENEFITS, PUPILS],
        "data_subjects": Why(
            [
                "Children at the borough's schools",
                "Parents and carers claiming housing benefit or council tax reduction",
            ],
            "The categories of people the data is about, as the ICO data sharing code asks.",
        ),
        "refresh_frequency": Why(
            "monthly",
            "Monthly, so a child who becomes eligible is found within weeks; pupil records "
            "change each term with the school census.",
        ),
    },
    "processing": {
        "sharing_method": SHARING_METHOD,
        "linkage": Why(
            {"method": "probabilistic", "keys": ["child_name", "date_of_birth", "home_postcode"]},
            "There is no identifier common to benefits and school records, and names are "
            "recorded differently, so records are matched probabilistically on name, date of "
            "birth and postcode; every match is confirmed through the Eligibility Checking "
            "System before a child is enrolled.",
        ),
        "permitted_operations": Why(
            ["upload", "link", "aggregate", "release"],
            "Upload and link find the matches, which go back only to the council that "
            "provided both datasets; aggregate and release produce take-up figures that pass "
            "disclosure control. Nobody reads or downloads records on the platform.",
        ),
        "output_disclosure_profile": STANDARD_PROFILE,
    },
    "security": {
        "uk_only_storage": UK_ONLY,
        "classification": Why(
            "official_sensitive",
            "OFFICIAL-SENSITIVE: records of children and household benefits could cause harm "
            "or distress if lost.",
        ),
        "encryption_at_rest": ENCRYPTION_AT_REST,
        "encryption_in_transit": ENCRYPTION_IN_TRANSIT,
    },
    "rights": {
        "subject_access_route": Why(
            "The council answers subject access requests for both datasets through its usual "
            "route; the hub holds only encodings.",
            "Parents know the council, not the platform; the council holds the records.",
        ),
        "objections_route": Why(
            "Families can opt out of automatic enrolment at any time by telling the school or "
            "the council, and can object to the matching itself through the council's data "
            "protection officer.",
            "Opting out of the meal and objecting to the processing (UK GDPR Article 21) are "
            "different things; residents need a route for both.",
        ),
        "breach_notification_hours": BREACH_HOURS,
    },
    "exit": {
        "termination_terms": Why(
            "Any party may end the agreement with three months' written notice; it ends at once "
            "if the law it relies on no longer allows the sharing.",
            "Notice lets enrolments already made carry on while the scheme winds down.",
        ),
        "on_exit": Why(
            "delete", "The hub holds only encodings and match results: they are deleted."
        ),
        "deletion_method": Why(
            "Encodings and match results are deleted from the hub within 30 days of the end.",
            "Enrolments already made stay on the school's and council's own records, under "
            "their own retention schedules.",
        ),
    },
    "register": {
        "publish": PUBLISH,
        "public_summary": Why(
            "The council checks its housing benefit and council tax reduction records against "
            "school records to find children who can get free school meals but do not, so they "
            "can get them without their family having to apply. Families are told and can opt "
            "out. Names and addresses are coded before the records are compared.",
            "Written for parents, in plain English: the register shows it first.",
        ),
    },
}
