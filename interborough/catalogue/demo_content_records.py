"""The data store demo's record-level datasets: things on the map (tables with latitude and
longitude, GeoJSON points and areas), pseudonymised case records (restricted) and drafts."""

from interborough.catalogue.demo_content import DemoDataset, each

TREES = DemoDataset(
    "Street trees in {borough}", "", "Every council-managed street tree: species, height, "
    "the year it was planted and its condition at the last survey.",
    ("environment",), ("trees", "urban forest", "green infrastructure"),
    "points", {"kind": "tree", "per_place": 300}, frequency="ANNUAL", age_days=140,
)  # fmt: skip
LIBRARIES = DemoDataset(
    "Public libraries in {borough}", "", "The borough's public libraries with their opening "
    "hours, whether they offer free wi-fi, and visits last year.",
    ("education",), ("libraries", "community buildings", "wifi"),
    "points", {"kind": "library", "per_place": 9}, frequency="IRREG", age_days=260,
)  # fmt: skip
CHARGERS = DemoDataset(
    "Electric vehicle chargepoints in {borough}", "", "Public chargepoints on the borough's "
    "streets and car parks, with their operator, connector and power.",
    ("transport", "energy"), ("electric vehicles", "ev charging", "kerbside"),
    "points", {"kind": "charger", "per_place": 120}, frequency="MONTHLY", age_days=15,
)  # fmt: skip
PARKING = DemoDataset(
    "Controlled parking zones in {borough}", "", "The boundaries of controlled parking zones "
    "(simplified), with the date each was designated.",
    ("transport",), ("parking", "cpz", "kerbside"),
    "areas", {"label": "parking zone", "per_place": 14}, fmt="geojson", frequency="IRREG",
    age_days=180, resource="Zones",
)  # fmt: skip

PLACES: list[DemoDataset] = [
    *each(("camden", "hackney", "islington", "lambeth", "southwark", "tower-hamlets"), TREES,
           versions=3),
    *each(("barnet", "brent", "ealing", "lewisham", "haringey"), LIBRARIES),
    *each(("westminster", "wandsworth"), CHARGERS),
    *each(("hammersmith-and-fulham", "merton", "islington"), PARKING),
    DemoDataset(
        "Electric vehicle chargepoints (London)", "tfl",
        "Every public chargepoint in London, with its operator, connector and power.",
        ("transport", "energy"), ("electric vehicles", "ev charging", "net zero"),
        "points", {"kind": "charger", "per_place": 25}, frequency="MONTHLY", versions=3,
        age_days=8, london=True,
    ),
    DemoDataset(
        "Air quality monitoring sites", "gla",
        "Sites of the London Air Quality Network and borough monitors, with the pollutants "
        "each measures.",
        ("environment", "health"), ("air quality", "monitoring", "no2", "sensors"),
        "points", {"kind": "monitor", "per_place": 4}, frequency="IRREG", age_days=30,
        london=True,
    ),
    DemoDataset(
        "Cycle hangars in Hackney", "hackney",
        "On-street cycle hangars: installed ones and locations with a waiting list.",
        ("transport",), ("cycling", "cycle parking", "active travel"),
        "points", {"kind": "hangar", "per_place": 150}, frequency="MONTHLY", versions=2,
        age_days=70,
    ),
    DemoDataset(
        "Street lighting columns in Bromley", "bromley",
        "Street lighting columns and whether each has been converted to LED.",
        ("energy",), ("street lighting", "led", "net zero"),
        "points", {"kind": "streetlight", "per_place": 400}, frequency="ANNUAL", age_days=90,
    ),
    DemoDataset(
        "Grit bins in Harrow", "harrow",
        "Grit bins the council fills before winter, for residents to grit paths and roads.",
        ("transport",), ("winter", "gritting", "highways"),
        "points", {"kind": "grit_bin", "per_place": 120}, frequency="ANNUAL", age_days=330,
    ),
    DemoDataset(
        "High-rise residential buildings: fire safety inspections", "london-fire-brigade",
        "Residential buildings of 7 storeys or more, whether their cladding has been remediated "
        "and when they were last inspected. Restricted: security of residents.",
        ("justice", "housing"), ("fire safety", "building safety", "cladding", "high-rise"),
        "points", {"kind": "building", "per_place": 12}, frequency="MONTHLY",
        access="restricted", age_days=20, london=True, owner="Assistant Commissioner, Fire Safety",
    ),
    DemoDataset(
        "Public access defibrillators", "gla",
        "Defibrillators the public can use, and when they can be reached.",
        ("health",), ("defibrillators", "first aid", "community"),
        "points", {"kind": "defibrillator", "per_place": 15, "geojson": True}, fmt="geojson",
        frequency="MONTHLY", age_days=20, london=True, resource="Defibrillators",
    ),
    DemoDataset(
        "Public toilets in Westminster", "westminster",
        "Public and community scheme toilets, and whether each is accessible.",
        ("health",), ("toilets", "accessibility", "community toilet scheme"),
        "points", {"kind": "toilet", "per_place": 60, "geojson": True}, fmt="geojson",
        frequency="IRREG", age_days=45, resource="Toilets",
    ),
    DemoDataset(
        "Public toilets in Richmond upon Thames", "richmond-upon-thames",
        "Public toilets, including those in the community toilet scheme.",
        ("health",), ("toilets", "accessibility"),
        "points", {"kind": "toilet", "per_place": 30, "geojson": True}, fmt="geojson",
        frequency="IRREG", age_days=400, resource="Toilets",
    ),
    DemoDataset(
        "Conservation areas in Greenwich", "greenwich",
        "Conservation area boundaries (simplified) and their designation dates.",
        ("regions-and-cities",), ("conservation areas", "planning", "heritage"),
        "areas", {"label": "conservation area", "per_place": 20}, fmt="geojson",
        frequency="IRREG", age_days=600, resource="Boundaries",
    ),
    DemoDataset(
        "Low traffic neighbourhoods in Waltham Forest", "waltham-forest",
        "Low traffic neighbourhoods and when each was introduced.",
        ("transport",), ("low traffic neighbourhoods", "active travel", "healthy streets"),
        "areas", {"label": "low traffic neighbourhood", "per_place": 10}, fmt="geojson",
        frequency="IRREG", age_days=75, resource="Neighbourhoods",
    ),
    DemoDataset(
        "Allotment sites in Redbridge", "redbridge",
        "Council allotment sites (simplified boundaries).",
        ("agriculture",), ("allotments", "food growing", "green space"),
        "areas", {"label": "allotments", "per_place": 16}, fmt="geojson", frequency="IRREG",
        age_days=220, resource="Sites",
    ),
    DemoDataset(
        "London borough boundaries with green space", "gla",
        "The 33 local authority boundaries (simplified ONS boundaries) with hectares of public "
        "green space. Contains National Statistics and OS data, Crown copyright and database "
        "right, Open Government Licence v3.0.",
        ("regions-and-cities", "environment"), ("boundaries", "green space", "parks"),
        "boundaries", {}, fmt="geojson", frequency="NEVER", age_days=700, london=True,
        resource="Boundaries",
    ),
    DemoDataset(
        "Air quality daily means", "gla",
        "Daily mean nitrogen dioxide and PM2.5 at one reference site in each borough.",
        ("environment", "health"), ("air quality", "no2", "pm2.5", "sensors"),
        "daily_readings", {"days": 28}, fmt="json", frequency="DAILY", age_days=4, london=True,
        resource="Daily means",
    ),
]  # fmt: skip

CASES: list[DemoDataset] = [
    DemoDataset(
        "Homelessness case outcomes (H-CLIC extract)", "newham",
        "Pseudonymised homelessness cases opened in the last two years, with their outcome. "
        "Restricted: shared only for the cross-borough temporary accommodation study.",
        ("housing",), ("homelessness", "h-clic", "prevention", "pseudonymised"),
        "cases", {"prefix": "NWM", "outcomes": ["Secured accommodation for 6 months or more",
                  "Moved to relief duty", "Contact lost", "Withdrew application", "Open"]},
        access="restricted", age_days=30, owner="Director of Housing Needs",
    ),
    DemoDataset(
        "Rough sleeper contacts, pseudonymised (CHAIN extract)", "gla",
        "One row per person contacted by outreach, pseudonymised, with where they were first "
        "seen and the latest outcome. Restricted: only for approved research under agreement.",
        ("housing", "health"), ("rough sleeping", "chain", "pseudonymised"),
        "cases", {"prefix": "CHN", "rows": 1500, "outcomes": ["Accommodated", "Reconnected",
                  "Still rough sleeping", "Not known", "In hospital"]},
        access="restricted", frequency="MONTHLY", age_days=25, london=True,
        owner="Director of Housing and Land",
    ),
    DemoDataset(
        "Children's social care referrals by outcome", "tower-hamlets",
        "Pseudonymised referrals to children's social care and what followed.",
        ("population-and-society",), ("children's services", "referrals", "pseudonymised"),
        "cases", {"prefix": "TWH", "outcomes": ["No further action", "Early help",
                  "Child in need plan", "Child protection enquiry"]},
        access="restricted", frequency="MONTHLY", age_days=18,
        owner="Corporate Director, Children and Culture",
    ),
    DemoDataset(
        "Adult social care assessments waiting", "enfield",
        "Pseudonymised requests for a care assessment and where each has got to.",
        ("health",), ("adult social care", "assessments", "waiting lists", "pseudonymised"),
        "cases", {"prefix": "ENF", "outcomes": ["Waiting", "Assessed", "Signposted",
                  "Closed"]},
        access="restricted", frequency="MONTHLY", age_days=110,
        owner="Director of Adult Social Care",
    ),
]  # fmt: skip

DRAFTS: list[DemoDataset] = [
    DemoDataset(
        "Resident parking permits by LSOA", "wandsworth",
        "Resident parking permits in force, by LSOA (being prepared for publication).",
        ("transport",), ("parking", "permits", "lsoa"),
        "lsoa", {"total": "households", "count": "permits", "rate": "permits_per_100_households",
                 "mean": 0.3},
        draft=True,
    ),
    DemoDataset(
        "Noise complaints by LSOA", "westminster",
        "Noise complaints by LSOA (a draft: the small-area counts are being checked).",
        ("environment",), ("noise", "lsoa"),
        "lsoa", {"total": "households", "count": "complaints", "rate": "per_100_households",
                 "mean": 0.02, "sd": 0.01},
        frequency="MONTHLY", draft=True,
    ),
    DemoDataset(
        "School streets in Hackney", "hackney",
        "Streets closed to motor traffic at school drop-off and pick-up (a draft).",
        ("transport", "education"), ("school streets", "active travel", "healthy streets"),
        "areas", {"label": "school street", "per_place": 25}, fmt="geojson", draft=True,
        resource="School streets",
    ),
]  # fmt: skip
