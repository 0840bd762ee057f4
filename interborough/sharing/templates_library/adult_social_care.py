"""Template: adult social care, with the NHS (hospital discharge and care planning)."""

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

KEY = "adult-social-care"
TITLE = "Adult social care and hospital discharge planning"
SUMMARY = (
    "A council and its NHS partners link pseudonymised adult social care and hospital discharge "
    "records to plan care together: how people leave hospital, what care follows, and how "
    "safeguarding enquiries end. Health and care data is special category data."
)
ARTICLE6 = Why(
    "public_task",
    "UK GDPR Article 6(1)(e), public task: the council's care and support functions under the "
    "Care Act 2014 and the NHS body's functions under the NHS Act 2006 are set out in law "
    "(Article 6(3)).",
)
_NHS_NUMBER_WHY = (
    "The NHS number is the consistent identifier health and adult social care bodies must use "
    "(Health and Social Care Act 2012 s251A), so records match exactly on it; it travels as a "
    "keyed hash because it identifies a person on its own."
)
_DOB_WHY = "Checks each NHS number match; a keyed hash, because it helps identify a person."
_HEALTH_WHY = (
    "Health data, so special category: covered by the Article 9(2)(h) condition. Needed in the "
    "clear for the planning tables, which pass disclosure control."
)

CARE = dataset(
    "care-records",
    "Adult social care assessments and services",
    "Adults assessed for or receiving care and support from the council, with the kind of "
    "support, the service and the outcome of any safeguarding enquiry.",
    [
        field(
            "nhs_number",
            "personal",
            "direct",
            "keyed_hash",
            "To link a person's care record with their hospital discharge.",
            _NHS_NUMBER_WHY,
        ),
        field(
            "date_of_birth",
            "personal",
            "quasi",
            "keyed_hash",
            "To confirm each match on the NHS number.",
            _DOB_WHY,
        ),
        field(
            "age_band",
            "personal",
            "attribute",
            "clear",
            "To plan care by age group.",
            "A five-year band rather than the age: enough for planning, less identifying.",
        ),
        field(
            "lsoa",
            "personal",
            "quasi",
            "clear",
            "To plan services by neighbourhood (Lower Layer Super Output Area).",
            "A small area of about 1,500 residents instead of an address; a quasi-identifier, "
            "which is why outputs pass disclosure control.",
        ),
        field(
            "primary_support_reason",
            "special_category",
            "attribute",
            "clear",
            "To plan by the kind of support people need (such as physical support, learning "
            "disability support or mental health support).",
            _HEALTH_WHY,
        ),
        field(
            "service_type",
            "special_category",
            "attribute",
            "clear",
            "To see what care follows a hospital stay (home care, reablement, residential or "
            "nursing care).",
            _HEALTH_WHY,
        ),
        field(
            "safeguarding_enquiry_outcome",
            "personal",
            "attribute",
            "clear",
            "To monitor how safeguarding enquiries under s42 of the Care Act 2014 end (risk "
            "removed, reduced or remaining) for people who left hospital.",
            "An outcome category only: the details of an enquiry are never shared here.",
        ),
    ],
    months=Why(
        36,
        "Three years lets the partners compare winters, when hospital discharges peak, and "
        "see whether changes to services worked.",
    ),
    deletion=Why(
        "Encodings, linked tables and working files are deleted from the hub's storage and "
        "backups; the deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)).",
    ),
    why="The council's care records show what care and support follows a hospital stay.",
)

DISCHARGES = dataset(
    "hospital-discharges",
    "Hospital discharges of borough residents",
    "Adults living in the borough discharged from hospital, with their discharge pathway and "
    "whether they were readmitted.",
    [
        field(
            "nhs_number",
            "personal",
            "direct",
            "keyed_hash",
            "To link the discharge with the person's care record.",
            _NHS_NUMBER_WHY,
        ),
        field(
            "date_of_birth",
            "personal",
            "quasi",
            "keyed_hash",
            "To confirm each match on the NHS number.",
            _DOB_WHY,
        ),
        field(
            "discharge_date",
            "special_category",
            "quasi",
            "clear",
            "To measure the time from discharge to the start of care.",
            _HEALTH_WHY,
        ),
        field(
            "discharge_pathway",
            "special_category",
            "attribute",
            "clear",
            "To count discharges by the national discharge pathway (0 home with no new "
            "support, 1 home with support, 2 rehabilitation or short-term care in a bed, 3 a "
            "care home).",
            _HEALTH_WHY,
        ),
        field(
            "length_of_stay_days",
            "special_category",
            "attribute",
            "clear",
            "To see how delays in care affect time in hospital.",
            _HEALTH_WHY,
        ),
        field(
            "readmitted_within_30_days",
            "special_category",
            "attribute",
            "clear",
            "To see whether the care that followed discharge worked.",
            _HEALTH_WHY,
        ),
    ],
    months=Why(36, "As for the care records: three winters."),
    deletion=Why(
        "Encodings, linked tables and working files are deleted from the hub's storage and "
        "backups; the deletion is recorded in the audit trail.",
        "Storage limitation (UK GDPR Article 5(1)(e)).",
    ),
    why="The NHS party's discharge records show who left hospital, when and on which "
    "pathway: the other half of the picture.",
)

FRAGMENT = {
    "purpose": {
        "description": Why(
            "To plan adult social care and hospital discharge together: how many people leave "
            "hospital on each discharge pathway, how long they wait for care, what care "
            "follows, whether they return to hospital, and how safeguarding enquiries about "
            "them end. Only pseudonymised records are linked; decisions about individual "
            "people's care are not made from this data.",
            "Planning and managing health and social care services is a purpose in its own "
            "right under UK GDPR Article 9(2)(h); saying that no individual decisions follow "
            "keeps it separate from direct care, which has its own rules.",
        ),
        "dpv_purposes": Why(
            ["dpv:ServiceOptimisation", "dpv:ImproveHealthcare"],
            "Improving how care services work and improving health care; the platform's policy "
            "check refuses a request that states another purpose.",
        ),
        "public_benefit": Why(
            "People leave hospital sooner and with the right care in place, fewer return to "
            "hospital, and the council and NHS plan care capacity together.",
            "The benefit both to residents and to public services, as the ICO data sharing "
            "code asks.",
        ),
        "success_measures": Why(
            "Monthly tables of discharges by pathway, days from discharge to care, and "
            "readmissions within 30 days, used by the local health and care partnership.",
            "Measures agreed now show at review whether the sharing improves discharge.",
        ),
    },
    "legal_basis": {
        "statutory_gateways": [
            gateway(
                "care-act-2014-s6",
                "Care Act 2014 s6 (co-operating generally)",
                "s6 requires a council and its relevant partners, which include NHS bodies, to "
                "co-operate in carrying out their care and support functions; the Care and "
                "Support Statutory Guidance expects that co-operation to include sharing "
                "information.",
            ),
            gateway(
                "care-act-2014-s42",
                "Care Act 2014 s42 (enquiry by local authority: safeguarding adults)",
                "s42 requires the council to make, or cause to be made, enquiries when an adult "
                "with care needs is at risk of abuse or neglect. Disclosures about an individual "
                "for an enquiry happen between named staff outside the platform; this agreement "
                "covers only the outcome categories used to monitor enquiries.",
            ),
            gateway(
                "nhs-act-2006-s82",
                "National Health Service Act 2006 s82 (co-operation between NHS bodies and "
                "local authorities)",
                "s82 requires NHS bodies and councils to co-operate to secure and advance the "
                "health and welfare of the people they serve: the NHS party's power to share.",
            ),
        ],
        "article9_conditions": Why(
            ["art9_2_h"],
            "Article 9(2)(h): processing necessary for the management of health or social "
            "care systems and services. Article 9(3), read with DPA 2018 s11(1), means it is "
            "done by or under the responsibility of a health or social work professional, or "
            "by someone else who owes a duty of confidentiality.",
        ),
        "schedule1_conditions": Why(
            ["sch1_para2"],
            "DPA 2018 Schedule 1 paragraph 2 (health or social care purposes) is the condition "
            "that Article 9(2)(h) needs (DPA 2018 s10(2)). Individual safeguarding disclosures "
            "outside the platform rely on paragraph 18 (safeguarding of individuals at risk).",
        ),
        "article10_condition": Why(None, "No criminal offence data is shared."),
    },
    "dpia": {
        "screening": {
            "criteria": Why(
                [
                    "sensitive_data",
                    "large_scale",
                    "matching_datasets",
                    "vulnerable_people",
                    "ico_data_matching",
                ],
                "Health and care data is special category; people receiving care are "
                "vulnerable; council and NHS records are matched, which is on the ICO's "
                "high-risk list; and the data covers everyone discharged from hospital. A full "
                "DPIA is required.",
            ),
        },
    },
    "data": {
        "datasets": [CARE, DISCHARGES],
        "data_subjects": Why(
            [
                "Adults assessed for or receiving social care",
                "Adults discharged from hospital who live in the borough",
            ],
            "The categories of people the data is about, as the ICO data sharing code asks.",
        ),
        "refresh_frequency": Why(
            "monthly",
            "Monthly, matching the NHS discharge returns and fast enough to plan for winter.",
        ),
    },
    "processing": {
        "sharing_method": SHARING_METHOD,
        "linkage": Why(
            {"method": "deterministic", "keys": ["nhs_number", "date_of_birth"]},
            "Both datasets carry the NHS number, so records match exactly on it, with the date "
            "of birth as a check; nothing else identifying is needed.",
        ),
        "permitted_operations": Why(
            ["upload", "link", "aggregate", "release"],
            "Each party uploads encodings, the hub links and aggregates them, and only tables "
            "that pass disclosure control are released. Nobody reads the other party's records.",
        ),
        "output_disclosure_profile": STANDARD_PROFILE,
    },
    "security": {
        "uk_only_storage": UK_ONLY,
        "classification": Why(
            "official_sensitive",
            "OFFICIAL-SENSITIVE: health and care records are among the most sensitive data "
            "public bodies hold.",
        ),
        "encryption_at_rest": ENCRYPTION_AT_REST,
        "encryption_in_transit": ENCRYPTION_IN_TRANSIT,
    },
    "rights": {
        "subject_access_route": Why(
            "Each party answers subject access requests for the records it provided, through "
            "its usual route; the hub holds only encodings and tables.",
            "A person asks the council or the NHS body they know; the hub holds no names.",
        ),
        "objections_route": Why(
            "People object to the party that holds their record, which leaves the record out "
            "of its next extract if it upholds the objection. The NHS party applies the "
            "national data opt-out wherever it applies to the disclosure.",
            "The right to object (UK GDPR Article 21), and the national data opt-out for "
            "confidential patient information used beyond a person's own care.",
        ),
        "breach_notification_hours": BREACH_HOURS,
    },
    "exit": {
        "termination_terms": Why(
            "Any party may leave with three months' written notice; the agreement is reviewed "
            "at once if the law or NHS structures it relies on change.",
            "NHS bodies are reorganised from time to time; a successor must sign a new version.",
        ),
        "on_exit": Why("delete", "The hub holds only encodings and derived tables: they go."),
        "deletion_method": Why(
            "A leaving party's encodings, and linked tables that include them, are deleted from "
            "the hub within 30 days; released tables stay published.",
            "Released tables passed disclosure control and identify nobody.",
        ),
    },
    "register": {
        "publish": PUBLISH,
        "public_summary": Why(
            "The council and the NHS link coded records of people leaving hospital with "
            "records of the social care that follows, to plan care together so that people "
            "can leave hospital sooner with the right support. Names and NHS numbers are coded "
            "before the records are linked, and only tables that cannot identify anyone are "
            "shared.",
            "Written for residents, in plain English: the register shows it first.",
        ),
    },
}
