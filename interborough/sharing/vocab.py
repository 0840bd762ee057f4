"""The controlled vocabularies an agreement document uses, with plain-English labels.

Pure Python (no Django): the JSON Schema, the forms, the policy check and the templates all read
their allowed values from here, so a code means the same thing everywhere.
"""

# What a party may do with data under an agreement (processing.permitted_operations).
OPERATIONS: dict[str, str] = {
    "read": "Read the data in the data store (preview, query API)",
    "download": "Download the data from the data store",
    "upload": "Upload encoded extracts to the linkage hub",
    "link": "Link records across parties at the linkage hub",
    "aggregate": "Produce aggregate tables from linked data",
    "release": "Release disclosure-controlled outputs",
}

# How each field travels (data.datasets[].fields[].transformation).
TRANSFORMATIONS: dict[str, str] = {
    "clear": "In the clear (as held by the provider)",
    "keyed_hash": "Keyed hash (HMAC-SHA256 with the agreement's key)",
    "keyed_bloom": "Keyed Bloom filter (for fuzzy matching with the agreement's key)",
    "dropped": "Dropped (not shared)",
}

# Which transformations each operation may touch: the data store serves data as it is held, so
# reading or downloading needs the field in the clear; the linkage hub only ever holds encodings
# and attributes, never a field the agreement drops.
OPERATION_TRANSFORMATIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"clear"}),
    "download": frozenset({"clear"}),
    "upload": frozenset({"clear", "keyed_hash", "keyed_bloom"}),
    "link": frozenset({"clear", "keyed_hash", "keyed_bloom"}),
    "aggregate": frozenset({"clear", "keyed_hash", "keyed_bloom"}),
    "release": frozenset({"clear"}),
}

# The role each party plays (parties[].role): UK GDPR Articles 4(7), 26 and 28.
PARTY_ROLES: dict[str, str] = {
    "controller": "Controller",
    "joint_controller": "Joint controller",
    "processor": "Processor",
}

# The lawful basis each party relies on (parties[].article6_basis).
ARTICLE6_BASES: dict[str, str] = {
    "consent": "Consent (UK GDPR Article 6(1)(a))",
    "contract": "Contract (UK GDPR Article 6(1)(b))",
    "legal_obligation": "Legal obligation (UK GDPR Article 6(1)(c))",
    "vital_interests": "Vital interests (UK GDPR Article 6(1)(d))",
    "public_task": "Public task (UK GDPR Article 6(1)(e))",
    "legitimate_interests": "Legitimate interests (UK GDPR Article 6(1)(f))",
}

# Conditions for special category data (legal_basis.article9_conditions).
ARTICLE9_CONDITIONS: dict[str, str] = {
    "art9_2_a": "Explicit consent (UK GDPR Article 9(2)(a))",
    "art9_2_b": "Employment, social security and social protection (UK GDPR Article 9(2)(b))",
    "art9_2_c": "Vital interests (UK GDPR Article 9(2)(c))",
    "art9_2_d": "Not-for-profit bodies (UK GDPR Article 9(2)(d))",
    "art9_2_e": "Made public by the data subject (UK GDPR Article 9(2)(e))",
    "art9_2_f": "Legal claims or judicial acts (UK GDPR Article 9(2)(f))",
    "art9_2_g": "Reasons of substantial public interest (UK GDPR Article 9(2)(g))",
    "art9_2_h": "Health or social care (UK GDPR Article 9(2)(h))",
    "art9_2_i": "Public health (UK GDPR Article 9(2)(i))",
    "art9_2_j": "Archiving, research and statistics (UK GDPR Article 9(2)(j))",
}

# The Article 9 conditions that the Data Protection Act 2018 s10 says also need a Schedule 1
# condition: (b), (h), (i) and (j) need one from Part 1, and (g) one from Part 2.
ARTICLE9_NEEDING_SCHEDULE1: frozenset[str] = frozenset(
    {"art9_2_b", "art9_2_g", "art9_2_h", "art9_2_i", "art9_2_j"}
)

# The Schedule 1 conditions councils most often rely on (legal_basis.schedule1_conditions).
SCHEDULE1_CONDITIONS: dict[str, str] = {
    "sch1_para1": "Employment, social security and social protection (DPA 2018 Sch 1 para 1)",
    "sch1_para2": "Health or social care purposes (DPA 2018 Sch 1 para 2)",
    "sch1_para3": "Public health (DPA 2018 Sch 1 para 3)",
    "sch1_para4": "Research, statistics and archiving (DPA 2018 Sch 1 para 4)",
    "sch1_para6": "Statutory and government purposes (DPA 2018 Sch 1 para 6)",
    "sch1_para8": "Equality of opportunity or treatment (DPA 2018 Sch 1 para 8)",
    "sch1_para10": "Preventing or detecting unlawful acts (DPA 2018 Sch 1 para 10)",
    "sch1_para14": "Preventing fraud (DPA 2018 Sch 1 para 14)",
    "sch1_para16": "Support for individuals with a particular disability or medical condition "
    "(DPA 2018 Sch 1 para 16)",
    "sch1_para17": "Counselling (DPA 2018 Sch 1 para 17)",
    "sch1_para18": "Safeguarding of children and of individuals at risk (DPA 2018 Sch 1 para 18)",
    "sch1_para19": "Safeguarding of economic well-being of certain individuals "
    "(DPA 2018 Sch 1 para 19)",
}

# Where criminal offence data may be processed (legal_basis.article10_condition): UK GDPR
# Article 10 with DPA 2018 s10(5), which points to the Schedule 1 conditions.
ARTICLE10_CONDITIONS: dict[str, str] = {
    "official_authority": "Under the control of official authority (UK GDPR Article 10)",
    "sch1_para6": "Statutory and government purposes (DPA 2018 Sch 1 para 6, with para 36)",
    "sch1_para10": "Preventing or detecting unlawful acts (DPA 2018 Sch 1 para 10, with para 36)",
    "sch1_para18": "Safeguarding of children and of individuals at risk "
    "(DPA 2018 Sch 1 para 18, with para 36)",
    "sch1_para29": "Consent (DPA 2018 Sch 1 para 29)",
    "sch1_para30": "Protecting an individual's vital interests (DPA 2018 Sch 1 para 30)",
    "sch1_para33": "Legal claims (DPA 2018 Sch 1 para 33)",
}

# Acts of Parliament that give councils and their partners the power to share
# (legal_basis.statutory_gateways[].code): code to citation.
STATUTORY_GATEWAYS: dict[str, str] = {
    "housing-act-1996-part-7": "Housing Act 1996 Part 7 (homelessness) and s213B duty to refer",
    "housing-act-1996-s213": "Housing Act 1996 s213 (co-operation in relation to homeless persons)",
    "homelessness-reduction-act-2017": "Homelessness Reduction Act 2017 s10 (inserting Housing "
    "Act 1996 s213B, public authorities' duty to refer)",
    "children-act-1989-s17": "Children Act 1989 s17 (services for children in need)",
    "children-act-1989-s47": "Children Act 1989 s47 (local authority's duty to investigate)",
    "children-act-2004-s10": "Children Act 2004 s10 (co-operation to improve well-being)",
    "children-act-2004-s11": "Children Act 2004 s11 (arrangements to safeguard and promote "
    "the welfare of children)",
    "care-act-2014-s6": "Care Act 2014 s6 (co-operating generally)",
    "care-act-2014-s42": "Care Act 2014 s42 (enquiry by local authority: safeguarding adults)",
    "care-act-2014-s45": "Care Act 2014 s45 (supply of information to Safeguarding Adults Boards)",
    "education-act-1996-s512zb": "Education Act 1996 s512ZB (free school lunches and milk)",
    "digital-economy-act-2017-s35": "Digital Economy Act 2017 s35 (public service delivery)",
    "digital-economy-act-2017-s56": "Digital Economy Act 2017 s56 (fraud against the public "
    "sector)",
    "digital-economy-act-2017-s64": "Digital Economy Act 2017 s64 (research)",
    "localism-act-2011-s1": "Localism Act 2011 s1 (general power of competence)",
    "local-government-act-1972-s111": "Local Government Act 1972 s111 (subsidiary powers)",
    "crime-and-disorder-act-1998-s115": "Crime and Disorder Act 1998 s115 (disclosure of "
    "information)",
    "welfare-reform-act-2012-s131": "Welfare Reform Act 2012 s131 (information-sharing between "
    "the Secretary of State and relevant authorities)",
    "nhs-act-2006-s82": "National Health Service Act 2006 s82 (co-operation between NHS bodies "
    "and local authorities)",
    "health-and-social-care-act-2012-s251b": "Health and Social Care Act 2012 s251B (duty to "
    "share information for an individual's direct care)",
    # Not every power is on the list: "other" asks for the full citation instead.
    "other": "Another power (give its full citation)",
}

# W3C Data Privacy Vocabulary (DPV 2) purposes that council collaborations use
# (purpose.dpv_purposes); every code is a real concept in https://w3id.org/dpv#.
DPV_PURPOSES: dict[str, str] = {
    "dpv:ServiceProvision": "Providing a service",
    "dpv:ServiceOptimisation": "Improving how a service works",
    "dpv:ServiceAccessDetermination": "Deciding who can get a service (eligibility)",
    "dpv:ImprovePublicServices": "Improving public services",
    "dpv:PublicBenefit": "Benefit to the public or society",
    "dpv:PublicPolicyMaking": "Making public policy",
    "dpv:ProvideOfficialStatistics": "Producing official statistics",
    "dpv:ImproveHealthcare": "Improving health care",
    "dpv:CombatClimateChange": "Combating climate change",
    "dpv:ResearchAndDevelopment": "Research and development",
    "dpv:NonCommercialResearch": "Non-commercial research",
    "dpv:AcademicResearch": "Academic research",
    "dpv:LegalCompliance": "Complying with the law",
    "dpv:FulfilmentOfObligation": "Carrying out a legal or other obligation",
    "dpv:FraudPreventionAndDetection": "Preventing and detecting fraud",
    "dpv:IdentityVerification": "Verifying identity",
    "dpv:EnforceSecurity": "Keeping systems and data secure",
    "dpv:CommunicationManagement": "Communicating with people",
    "dpv:RecordManagement": "Managing records",
    "dpv:OrganisationGovernance": "Governing the organisation",
}

# How sensitive a field is (data.datasets[].fields[].sensitivity).
SENSITIVITIES: dict[str, str] = {
    "personal": "Personal data",
    "special_category": "Special category data (UK GDPR Article 9)",
    "criminal_offence": "Criminal offence data (UK GDPR Article 10)",
    "non_personal": "Not personal data",
}

# Whether a field identifies someone (data.datasets[].fields[].identifier_type).
IDENTIFIER_TYPES: dict[str, str] = {
    "direct": "Direct identifier (identifies a person on its own, e.g. name, NHS number)",
    "quasi": "Quasi-identifier (identifies a person in combination, e.g. postcode, birth date)",
    "attribute": "Attribute (describes a person but does not identify them)",
}

# How data moves between the parties (processing.sharing_method).
SHARING_METHODS: dict[str, str] = {
    "platform_upload": "Uploaded to the platform's linkage hub",
    "platform_api": "Through the platform's API",
    "secure_file_transfer": "Secure file transfer between the parties",
    "view_in_place": "Viewed in place, never copied",
}

# How records are matched across parties (processing.linkage.method).
LINKAGE_METHODS: dict[str, str] = {
    "none": "No linkage",
    "deterministic": "Deterministic (exact match on keys)",
    "probabilistic": "Probabilistic (fuzzy match on keys)",
}

# How often data is refreshed (data.refresh_frequency).
REFRESH_FREQUENCIES: dict[str, str] = {
    "one_off": "Once only",
    "daily": "Daily",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "annually": "Annually",
}

# NHS Data Security and Protection Toolkit status (parties[].dspt_status).
DSPT_STATUSES: dict[str, str] = {
    "standards_exceeded": "Standards exceeded",
    "standards_met": "Standards met",
    "approaching_standards": "Approaching standards",
    "standards_not_met": "Standards not met",
    "not_applicable": "Not applicable",
}

# Cyber Essentials certification (parties[].cyber_essentials).
CYBER_ESSENTIALS: dict[str, str] = {
    "none": "Not certified",
    "cyber_essentials": "Cyber Essentials",
    "cyber_essentials_plus": "Cyber Essentials Plus",
}

# Government Security Classifications (security.classification).
CLASSIFICATIONS: dict[str, str] = {
    "official": "OFFICIAL",
    "official_sensitive": "OFFICIAL-SENSITIVE",
}

# What happens to shared data when the agreement ends (exit.on_exit).
ON_EXIT: dict[str, str] = {
    "delete": "Delete the data",
    "return": "Return the data to the provider",
    "return_and_delete": "Return the data, then delete every copy",
}
