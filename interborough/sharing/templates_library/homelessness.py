"""Template: cross-borough homelessness and temporary accommodation placements."""

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

KEY = "homelessness-ta"
TITLE = "Cross-borough homelessness and temporary accommodation placements"
SUMMARY = (
    "Boroughs share pseudonymised records of the homeless households they place in temporary "
    "accommodation, including in each other's areas, to count and plan placements across London "
    "and to support the notification and referral duties of the Housing Act 1996."
)
ARTICLE6 = Why(
    "public_task",
    "UK GDPR Article 6(1)(e), public task: each borough shares to carry out its homelessness "
    "functions under Part 7 of the Housing Act 1996, which are set out in law (Article 6(3)). "
    "Consent would not be valid: a household seeking housing from the council cannot freely "
    "refuse.",
)

PLACEMENTS = dataset(
    "ta-placements",
    "Temporary accommodation placements",
    "One row per placement of a homeless household in temporary accommodation by the placing "
    "borough, including placements outside its own district.",
    [
        field(
            "household_reference",
            "personal",
            "direct",
            "keyed_hash",
            "To recognise the same household across monthly extracts and count it once.",
            "A case reference identifies a household to anyone with access to the borough's "
            "housing system, so it travels as a keyed hash: the hub can match it but cannot turn "
            "it back into the reference.",
        ),
        field(
            "lead_applicant_name",
            "personal",
            "direct",
            "keyed_bloom",
            "To find the same household when more than one borough has placed it; each borough "
            "uses its own case references.",
            "Names are spelt and recorded differently from borough to borough. A keyed Bloom "
            "filter allows fuzzy matching of similar names without the hub ever holding a name; "
            "the key stays with the parties so the filters cannot be attacked by guessing names.",
        ),
        field(
            "lead_applicant_date_of_birth",
            "personal",
            "quasi",
            "keyed_hash",
            "To tell apart different people with similar names.",
            "A date of birth matches exactly or not at all, so a keyed hash is enough; in the "
            "clear, with a borough and dates, it would help someone recognise a person.",
        ),
        field(
            "last_settled_address",
            "personal",
            "direct",
            "keyed_bloom",
            "To confirm a match between boroughs' records of the same household.",
            "Addresses are written in many ways (flat numbers, abbreviations), so they travel as "
            "a keyed Bloom filter for fuzzy matching; the hub never holds an address.",
        ),
        field(
            "placing_borough",
            "personal",
            "attribute",
            "clear",
            "To count placements by the borough that made them.",
            "Needed in the clear for the tables; one of 33 boroughs does not identify anyone.",
        ),
        field(
            "placement_borough",
            "personal",
            "quasi",
            "clear",
            "To count placements made outside the placing borough (s208 of the Housing Act "
            "1996) by the borough receiving them.",
            "Needed in the clear for the tables. It is a quasi-identifier with the dates, which "
            "is why outputs pass disclosure control.",
        ),
        field(
            "placement_start",
            "personal",
            "quasi",
            "clear",
            "To count placements in each month and measure how long they last.",
            "Needed in the clear to measure time in temporary accommodation.",
        ),
        field(
            "placement_end",
            "personal",
            "quasi",
            "clear",
            "To measure how long placements last and how many are still open.",
            "Needed in the clear to measure time in temporary accommodation.",
        ),
        field(
            "accommodation_type",
            "personal",
            "attribute",
            "clear",
            "To compare the kinds of accommodation used (such as bed and breakfast, hostels, "
            "nightly-paid annexes and private sector leasing).",
            "A category, not an identifier; bed and breakfast use for families is a statutory "
            "concern (the six-week limit of the Suitability Order 2003).",
        ),
        field(
            "household_size",
            "personal",
            "attribute",
            "clear",
            "To count the people placed, not only the households.",
            "A small number, not an identifier on its own.",
        ),
        field(
            "children_in_household",
            "personal",
            "attribute",
            "clear",
            "To plan school places and health visiting in the receiving borough.",
            "A count only: children's names and dates of birth are not shared.",
        ),
        field(
            "priority_need",
            "personal",
            "attribute",
            "clear",
            "To count households owed the main housing duty; recorded as yes or no only.",
            "Recorded as yes or no: the reason for priority need (for example vulnerability "
            "because of mental illness or disability) would be health data, special category "
            "under UK GDPR Article 9, and is deliberately not shared.",
        ),
    ],
    months=Why(
        24,
        "Long enough to see two years of placements and repeat homelessness; short enough that "
        "encodings do not outlive their use. Each borough keeps its own case records under its "
        "own retention schedule.",
    ),
    deletion=Why(
        "Encodings, linked tables and working files are deleted from the hub's storage and "
        "backups; the deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)): nothing derived from the records is kept "
        "once its period ends.",
    ),
    why="Each borough's own placements are the whole subject of the agreement; one dataset, "
    "uploaded by every borough under the same key, so the hub can link placements across "
    "boroughs.",
)

FRAGMENT = {
    "purpose": {
        "description": Why(
            "To understand and plan temporary accommodation placements across borough "
            "boundaries: how many homeless households each borough places in another borough's "
            "area, for how long and in what kind of accommodation, so that placing and receiving "
            "boroughs can plan school places, health care and support together and make sure "
            "the notifications that s208 of the Housing Act 1996 requires are made.",
            "A purpose specific enough to test each field against (purpose limitation, UK GDPR "
            "Article 5(1)(b)), and tied to the boroughs' placement duties so it cannot be "
            "stretched to other uses such as enforcement.",
        ),
        "dpv_purposes": Why(
            ["dpv:ServiceOptimisation", "dpv:PublicBenefit"],
            "Machine-readable purposes (W3C Data Privacy Vocabulary): the platform's policy "
            "check refuses a request that states any other purpose.",
        ),
        "public_benefit": Why(
            "Families placed away from their home borough stay in touch with schools, GPs and "
            "support services, and boroughs plan accommodation together instead of competing "
            "for it.",
            "The ICO data sharing code and the Digital Economy Act register both expect the "
            "benefit to the public to be stated.",
        ),
        "success_measures": Why(
            "A quarterly table of placements between each pair of boroughs, disclosure "
            "controlled, used by the boroughs' temporary accommodation planning group; and the "
            "share of out-of-borough placements the receiving borough was told about.",
            "Measures agreed now let the parties judge at review whether the sharing still "
            "earns its place.",
        ),
    },
    "legal_basis": {
        "statutory_gateways": [
            gateway(
                "housing-act-1996-part-7",
                "Housing Act 1996 Part 7, including s208 (out-of-area placements) and s213B "
                "(duty to refer)",
                "Part 7 sets out councils' homelessness duties. Under s208(1) a council must, as "
                "far as reasonably practicable, accommodate a household in its own district, and "
                "under s208(2) it must notify the receiving council when it places one elsewhere. "
                "s213B (inserted by the Homelessness Reduction Act 2017) requires specified "
                "public authorities to refer people who may be homeless, with their consent, to "
                "a housing authority.",
            ),
            gateway(
                "housing-act-1996-s213",
                "Housing Act 1996 s213 (co-operation in relation to homeless persons)",
                "s213 lets a housing authority ask another to help it carry out its homelessness "
                "functions, and requires the other to co-operate as far as is reasonable: the "
                "basis for boroughs working together on placements across their boundaries.",
            ),
        ],
        "article9_conditions": Why(
            [],
            "None, on purpose: every field is personal data but none is special category. If "
            "you add health or disability needs (such as the reason for priority need), mark "
            "those fields special category and add Article 9(2)(g), substantial public "
            "interest, with DPA 2018 Schedule 1 paragraph 6 (statutory and government "
            "purposes), and keep an appropriate policy document (Schedule 1 Part 4).",
        ),
        "schedule1_conditions": Why(
            [], "None needed while no field is special category (see the Article 9 conditions)."
        ),
        "article10_condition": Why(
            None,
            "No criminal offence data is shared. If you add offending history, mark the field "
            "criminal offence data and add an Article 10 condition.",
        ),
    },
    "dpia": {
        "screening": {
            "criteria": Why(
                ["matching_datasets", "vulnerable_people", "large_scale", "ico_data_matching"],
                "Homeless households are vulnerable people; records from several boroughs are "
                "matched; and the sharing covers many households across London. Matching data "
                "from several sources is on the ICO's high-risk list, so a full DPIA is "
                "required.",
            ),
        },
    },
    "data": {
        "datasets": [PLACEMENTS],
        "data_subjects": Why(
            [
                "Homeless households placed in temporary accommodation",
                "Members of those households, including children",
            ],
            "The categories of people the data is about, as the ICO data sharing code asks; "
            "the children are counted, not named.",
        ),
        "refresh_frequency": Why(
            "monthly",
            "Placements change every week; a monthly extract is enough for planning and lines "
            "up with the quarterly H-CLIC returns to the government.",
        ),
    },
    "processing": {
        "sharing_method": SHARING_METHOD,
        "linkage": Why(
            {
                "method": "probabilistic",
                "keys": [
                    "household_reference",
                    "lead_applicant_name",
                    "lead_applicant_date_of_birth",
                    "last_settled_address",
                ],
            },
            "Probabilistic linkage, because no identifier is shared between boroughs: names and "
            "addresses are recorded differently, so exact matching would miss households and "
            "undercount moves between boroughs.",
        ),
        "permitted_operations": Why(
            ["upload", "link", "aggregate", "release"],
            "Uploading, linking and aggregating are what the linkage hub does; releasing lets "
            "tables that passed disclosure control leave it. Reading or downloading records is "
            "not permitted: no borough sees another's records.",
        ),
        "output_disclosure_profile": STANDARD_PROFILE,
    },
    "security": {
        "uk_only_storage": UK_ONLY,
        "classification": Why(
            "official_sensitive",
            "OFFICIAL-SENSITIVE under the Government Security Classifications: losing records "
            "about homeless households could cause them real harm.",
        ),
        "encryption_at_rest": ENCRYPTION_AT_REST,
        "encryption_in_transit": ENCRYPTION_IN_TRANSIT,
    },
    "rights": {
        "subject_access_route": Why(
            "Each borough answers subject access requests for the records it provided. The hub "
            "holds only encodings; a borough can find one person's by encoding their details "
            "with the agreement's key.",
            "A resident asks the council they know; the hub cannot search by name because it "
            "holds none.",
        ),
        "objections_route": Why(
            "A resident objects to the borough that holds their record. That borough decides "
            "the objection, and if it upholds it leaves the record out of its next extract and "
            "asks the hub to delete its encodings.",
            "Under public task residents have the right to object (UK GDPR Article 21); the "
            "borough that holds the record is best placed to weigh it.",
        ),
        "breach_notification_hours": BREACH_HOURS,
    },
    "exit": {
        "termination_terms": Why(
            "Any party may leave with three months' written notice to the others. The agreement "
            "is reviewed at once if the law it relies on changes.",
            "Notice gives the others time to adjust their planning; a change in the law may "
            "remove the power to share.",
        ),
        "on_exit": Why(
            "delete",
            "The hub holds only encodings and tables derived from them; returning them would "
            "serve no purpose, so they are deleted.",
        ),
        "deletion_method": Why(
            "A leaving party's encodings, and linked tables that include them, are deleted from "
            "the hub within 30 days; aggregate tables already released stay published.",
            "Released tables passed disclosure control and identify nobody, so they can stay.",
        ),
    },
    "register": {
        "publish": PUBLISH,
        "public_summary": Why(
            "London boroughs share coded records of the homeless households they place in "
            "temporary accommodation, including in each other's areas. Names and addresses "
            "never leave the borough that holds them. The boroughs use the results to count "
            "placements between boroughs, to plan school places, health care and support, and "
            "to make sure the borough receiving a family is told, as the law requires.",
            "Written for residents, in plain English: it is what the public register shows first.",
        ),
    },
}
