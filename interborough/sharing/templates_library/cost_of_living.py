"""Template: cost-of-living support targeting."""

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

KEY = "cost-of-living"
TITLE = "Cost-of-living support targeting"
SUMMARY = (
    "Bring together council tax support, housing benefit and council tax account records to "
    "find households facing several financial pressures at once, and offer them help they are "
    "missing: unclaimed benefits such as Pension Credit, fuel and water bill support, and debt "
    "advice."
)
ARTICLE6 = Why(
    "public_task",
    "UK GDPR Article 6(1)(e), public task: the sharing supports the council's functions and "
    "rests on the public service delivery power in the Digital Economy Act 2017 (Article 6(3)). "
    "Consent is not the basis: the point is to reach households who have not come forward.",
)
_UPRN_WHY = (
    "The Unique Property Reference Number is the same in every council system, so records of a "
    "household match exactly on it; it travels as a keyed hash because with council records it "
    "points to one home."
)

SUPPORT = dataset(
    "support-households",
    "Council tax support and housing benefit households",
    "Households on the council's council tax reduction or housing benefit caseload, with the "
    "few facts that show which other help they may be missing.",
    [
        field(
            "household_reference",
            "personal",
            "direct",
            "keyed_hash",
            "To return each household found back to the council's own record.",
            "The council re-identifies its own households from the keyed hash; the hub cannot.",
        ),
        field(
            "uprn",
            "personal",
            "quasi",
            "keyed_hash",
            "To match the household with its council tax account.",
            _UPRN_WHY,
        ),
        field(
            "council_tax_reduction",
            "personal",
            "attribute",
            "clear",
            "To know whether the household receives council tax reduction (yes or no).",
            "Yes or no, needed in the clear to find households under several pressures.",
        ),
        field(
            "housing_benefit",
            "personal",
            "attribute",
            "clear",
            "To know whether the household receives housing benefit (yes or no).",
            "Yes or no, needed in the clear to find households under several pressures.",
        ),
        field(
            "pensioner_household",
            "personal",
            "attribute",
            "clear",
            "To find pensioners who may be entitled to Pension Credit but not claiming it.",
            "Yes or no: Pension Credit also opens the door to other help, such as help with "
            "housing costs and a free TV licence for those aged 75 or over.",
        ),
        field(
            "children_in_household",
            "personal",
            "attribute",
            "clear",
            "To find families who may be missing help for children, such as free school meals.",
            "A count, not an identifier.",
        ),
        field(
            "national_insurance_number",
            "personal",
            "direct",
            "dropped",
            "Not shared: listed so the agreement records that it stays with the council.",
            "The household reference and property reference are enough to match; sharing a "
            "national insurance number would add risk for no gain (data minimisation, UK GDPR "
            "Article 5(1)(c)).",
        ),
    ],
    months=Why(
        12,
        "Support campaigns run over a year (winter fuel, the financial year for council tax); "
        "longer would keep a picture of households' finances that is out of date.",
    ),
    deletion=Why(
        "Encodings, linked tables and lists of households to contact are deleted from the "
        "hub's storage and backups; the deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)).",
    ),
    why="The council's support caseload shows households on low incomes and the help they "
    "already get.",
)

ACCOUNTS = dataset(
    "council-tax-accounts",
    "Council tax accounts",
    "Council tax accounts, with whether each is in arrears and by roughly how much.",
    [
        field(
            "uprn",
            "personal",
            "quasi",
            "keyed_hash",
            "To match the account with a household on the support caseload.",
            _UPRN_WHY,
        ),
        field(
            "arrears_band",
            "personal",
            "attribute",
            "clear",
            "To find households falling behind, so they can be offered debt advice before "
            "enforcement.",
            "A band (none, under £500, £500 or more) rather than the amount owed: enough to "
            "target help, and less revealing.",
        ),
        field(
            "single_person_discount",
            "personal",
            "attribute",
            "clear",
            "To find people living alone, who are more likely to face fuel poverty and isolation.",
            "Yes or no, needed in the clear for targeting.",
        ),
    ],
    months=Why(12, "As for the support caseload: one year of campaigns."),
    deletion=Why(
        "Encodings and linked tables are deleted from the hub's storage and backups; the "
        "deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)).",
    ),
    why="Council tax arrears are an early sign of financial difficulty; combined with the "
    "support caseload they show households under several pressures at once.",
)

FRAGMENT = {
    "purpose": {
        "description": Why(
            "To identify households facing multiple disadvantages (low income together with "
            "council tax arrears, pensioner households not claiming Pension Credit, or people "
            "at risk of fuel poverty) so the council and its partners can offer them support "
            "they are missing: benefit checks, help with fuel and water bills, hardship funds "
            "and debt advice.",
            "Worded to match the multiple disadvantages and fuel poverty objectives of the "
            "Digital Government (Disclosure of Information) Regulations 2018, which is what s35 "
            "of the Digital Economy Act 2017 allows sharing for. The data may not be used to "
            "collect debts or enforce against households.",
        ),
        "dpv_purposes": Why(
            ["dpv:ServiceProvision", "dpv:PublicBenefit"],
            "Providing support to households, for public benefit; the platform's policy check "
            "refuses a request that states another purpose, such as debt recovery.",
        ),
        "public_benefit": Why(
            "Households in financial hardship get help they are entitled to but not receiving, "
            "earlier and without having to ask, and fewer fall into council tax enforcement.",
            "The DEA register and the ICO data sharing code both expect the benefit to be stated.",
        ),
        "success_measures": Why(
            "The number of households contacted, the number taking up help (for example new "
            "Pension Credit awards), and the change in council tax accounts reaching "
            "enforcement, each published quarterly.",
            "Measures agreed now show at review whether the targeting reaches the right people.",
        ),
    },
    "legal_basis": {
        "statutory_gateways": [
            gateway(
                "digital-economy-act-2017-s35",
                "Digital Economy Act 2017 s35 (public service delivery), for the multiple "
                "disadvantages and fuel poverty objectives in the Schedule to the Digital "
                "Government (Disclosure of Information) Regulations 2018",
                "s35 lets the public authorities listed in Schedule 4 of the Act, which include "
                "councils in England, share information for objectives set in regulations. The "
                "2018 Regulations set objectives for multiple disadvantages, fuel poverty, water "
                "poverty and television retuning. Sharing under s35 must follow the Act's "
                "information sharing code of practice, which expects the arrangement to be "
                "published in a register.",
            ),
            gateway(
                "welfare-reform-act-2012-s131",
                "Welfare Reform Act 2012 s131 (information-sharing between the Secretary of "
                "State and relevant authorities)",
                "Housing benefit records are social security information the council holds for "
                "the DWP; s131 and its regulations govern using them for other purposes. Check "
                "with your legal team which gateway covers each dataset.",
            ),
        ],
        "article9_conditions": Why(
            [],
            "None: financial information is personal data, not special category. If you add "
            "disability benefits or premiums, they reveal health: mark those fields special "
            "category and add Article 9(2)(g), substantial public interest, with DPA 2018 "
            "Schedule 1 paragraph 6 (statutory and government purposes).",
        ),
        "schedule1_conditions": Why([], "None needed: no field is special category."),
        "article10_condition": Why(None, "No criminal offence data is shared."),
    },
    "dpia": {
        "screening": {
            "criteria": Why(
                ["sensitive_data", "matching_datasets", "vulnerable_people", "ico_data_matching"],
                "Financial hardship is data of a highly personal nature; households in hardship "
                "are vulnerable; and records from several council systems are combined, which "
                "is on the ICO's high-risk list, so a full DPIA is required.",
            ),
        },
    },
    "data": {
        "datasets": [SUPPORT, ACCOUNTS],
        "data_subjects": Why(
            [
                "Households receiving council tax reduction or housing benefit",
                "Council tax payers, including those in arrears",
            ],
            "The categories of people the data is about, as the ICO data sharing code asks.",
        ),
        "refresh_frequency": Why(
            "monthly",
            "Monthly, so households who fall into arrears or start claiming are found in time "
            "for the next round of support.",
        ),
    },
    "processing": {
        "sharing_method": SHARING_METHOD,
        "linkage": Why(
            {"method": "deterministic", "keys": ["uprn"]},
            "Both datasets carry the property reference, so records match exactly on it: "
            "simpler and more accurate than fuzzy matching, and no names are needed.",
        ),
        "permitted_operations": Why(
            ["upload", "link", "aggregate", "release"],
            "Upload and link find the households, which go back only to the council that "
            "holds them; aggregate and release produce the published measures, which pass "
            "disclosure control.",
        ),
        "output_disclosure_profile": STANDARD_PROFILE,
    },
    "security": {
        "uk_only_storage": UK_ONLY,
        "classification": Why(
            "official_sensitive",
            "OFFICIAL-SENSITIVE: households' financial circumstances could cause harm or "
            "distress if lost.",
        ),
        "encryption_at_rest": ENCRYPTION_AT_REST,
        "encryption_in_transit": ENCRYPTION_IN_TRANSIT,
    },
    "rights": {
        "subject_access_route": Why(
            "The council answers subject access requests through its usual route; the hub "
            "holds only encodings and tables.",
            "Residents know the council, which holds their records.",
        ),
        "objections_route": Why(
            "Residents can ask not to be contacted about support, and can object to the "
            "matching through the council's data protection officer; their records are then "
            "left out of the next extract.",
            "The right to object (UK GDPR Article 21) applies to processing for a public task.",
        ),
        "breach_notification_hours": BREACH_HOURS,
    },
    "exit": {
        "termination_terms": Why(
            "Any party may end the agreement with one month's written notice; it ends at once "
            "if the objective in the regulations is withdrawn.",
            "Sharing under s35 is lawful only for a specified objective.",
        ),
        "on_exit": Why("delete", "The hub holds only encodings and derived tables: they go."),
        "deletion_method": Why(
            "Encodings, linked tables and contact lists are deleted from the hub within 30 "
            "days of the end; published aggregate measures stay published.",
            "Published measures passed disclosure control and identify nobody.",
        ),
    },
    "register": {
        "publish": PUBLISH,
        "public_summary": Why(
            "The council compares its council tax and benefits records to find households who "
            "are struggling with bills and could get help they are not receiving, such as "
            "Pension Credit, help with energy and water bills or free debt advice. The records "
            "are coded before they are compared, and the results are used only to offer "
            "support, never to collect debts.",
            "Written for residents, in plain English: the register shows it first.",
        ),
    },
}
