"""The data store demo's statistics: tables by borough and by LSOA, as London's boroughs and
partners publish them (things on the map, case records and drafts are in
demo_content_records). Titles and topics are realistic; every value is synthetic (demo_data).

A spec names its publisher by slug, its data by a generator in demo_data.GENERATORS, and how
fresh it is: `age_days` is how long ago its newest version landed, so a monthly dataset aged
80 days shows as overdue.
"""

from typing import Any, NamedTuple

AGGREGATE = "Counts are rounded and small numbers are not suppressed: this is synthetic data."


class DemoDataset(NamedTuple):
    title: str
    publisher: str  # organisation slug
    summary: str
    topics: tuple[str, ...]
    keywords: tuple[str, ...]
    data: str  # a generator in demo_data.GENERATORS
    params: dict[str, Any]
    frequency: str = "QUARTERLY"
    fmt: str = "csv"
    access: str = "open"
    versions: int = 1
    age_days: int = 20
    london: bool = False  # covers all 33 local authorities, else the publisher's borough
    draft: bool = False
    resource: str = "Data"
    owner: str = "Head of Data and Insight"  # information asset owner: a post, not a person
    schema: dict[str, Any] | None = None


def _series(*measures: tuple[str, float, float, int], **params: Any) -> dict[str, Any]:
    return {"measures": list(measures), **params}


def each(boroughs: tuple[str, ...], spec: DemoDataset, **first: Any) -> list[DemoDataset]:
    """The same kind of dataset from several boroughs ({borough} in the title is filled in);
    `first` changes the first borough's only (say, more versions)."""
    specs = []
    for slug in boroughs:
        name = " ".join(w if w in {"and", "upon"} else w.capitalize() for w in slug.split("-"))
        specs.append(spec._replace(title=spec.title.format(borough=name), publisher=slug))
    specs[0] = specs[0]._replace(**first)
    return specs


FUEL_POVERTY_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "lsoa_code", "type": "string", "title": "LSOA code",
         "description": "The Lower layer Super Output Area (2021 boundaries). Synthetic codes "
                        "in the demo.", "constraints": {"required": True}},
        {"name": "lsoa_name", "type": "string", "title": "LSOA name",
         "description": "The area's name: its borough and a number."},
        {"name": "borough_code", "type": "string", "title": "Borough GSS code",
         "description": "The ONS GSS code of the London local authority (E09...)."},
        {"name": "households", "type": "integer", "title": "Households",
         "description": "Households in the area."},
        {"name": "fuel_poor_households", "type": "integer", "title": "Fuel poor households",
         "description": "Households in fuel poverty under the Low Income Low Energy Efficiency "
                        "(LILEE) measure."},
        {"name": "fuel_poverty_percent", "type": "number", "title": "Fuel poverty (%)",
         "description": "Fuel poor households as a percentage of all households."},
    ],
    "primaryKey": ["lsoa_code"],
}  # fmt: skip

LONDON_SERIES: list[DemoDataset] = [
    DemoDataset(
        "Rough sleeping counts by borough (CHAIN)", "gla",
        "People seen sleeping rough by outreach teams each quarter, from the Combined "
        "Homelessness and Information Network (CHAIN), by the borough where they were seen.",
        ("housing", "population-and-society"), ("rough sleeping", "homelessness", "chain"),
        "borough_series", _series(("people_seen_rough_sleeping", 20, 480, 0),
                                  ("new_rough_sleepers", 8, 250, 0),
                                  adds="index_on_first_quarter"),
        versions=3, age_days=35, london=True, owner="Director of Housing and Land",
    ),
    DemoDataset(
        "Temporary accommodation placements", "london-councils",
        "Households placed in temporary accommodation by each borough at the end of each "
        "quarter, with those placed outside the borough and those with children. Shared "
        "between boroughs to plan school places and support.",
        ("housing",), ("temporary accommodation", "homelessness", "placements", "s208"),
        "borough_series", _series(("households_in_ta", 300, 5500, 0),
                                  ("placed_out_of_borough", 50, 2500, 0),
                                  ("with_children", 200, 4000, 0), adds="index_on_first_quarter"),
        access="restricted", versions=2, age_days=50, london=True,
        owner="Director of Policy and Performance",
    ),
    DemoDataset(
        "Households on housing registers by borough", "gla",
        "Households on each borough's housing register (waiting list) on 1 April each year.",
        ("housing",), ("housing register", "social housing", "waiting list"),
        "borough_series", _series(("households_on_register", 3000, 30000, 0), period="year",
                                  periods=10),
        frequency="ANNUAL", age_days=200, london=True,
    ),
    DemoDataset(
        "Fly-tipping incidents by borough", "gla",
        "Fly-tipping incidents reported to each borough, by quarter.",
        ("environment",), ("fly-tipping", "waste", "street cleansing"),
        "borough_series", _series(("incidents", 900, 16000, 0),
                                  ("enforcement_actions", 50, 4000, 0)),
        versions=2, age_days=150, london=True,
    ),
    DemoDataset(
        "Household waste recycling rates by borough", "gla",
        "The share of household waste sent for reuse, recycling or composting, and residual "
        "waste per household, by financial year.",
        ("environment",), ("recycling", "waste", "net zero"),
        "borough_series", _series(("recycling_rate_percent", 20, 52, 1),
                                  ("residual_waste_kg_per_household", 350, 650, 0),
                                  period="year", periods=8),
        frequency="ANNUAL", age_days=120, london=True,
    ),
    DemoDataset(
        "Population estimates by borough", "gla",
        "Mid-year population estimates for each borough, with residents aged 65 and over.",
        ("population-and-society",), ("population", "demography", "census"),
        "borough_series", _series(("population", 9000, 400000, 0),
                                  ("aged_65_and_over", 1000, 55000, 0), period="year", periods=12),
        frequency="ANNUAL", versions=2, age_days=90, london=True,
    ),
    DemoDataset(
        "Fire incidents attended by borough", "london-fire-brigade",
        "Incidents London Fire Brigade attended each month: fires, false alarms and special "
        "services (floods, road traffic collisions, people shut in lifts).",
        ("justice",), ("fire", "incidents", "emergency services"),
        "borough_series", _series(("fires", 20, 160, 0), ("false_alarms", 60, 400, 0),
                                  ("special_services", 30, 200, 0), period="month", periods=18,
                                  adds="fires_index_on_first_month"),
        frequency="MONTHLY", versions=3, age_days=12, london=True,
        owner="Assistant Commissioner, Operational Policy",
    ),
    DemoDataset(
        "Road traffic collisions by borough", "tfl",
        "Road traffic collisions where someone was injured, and those where someone was killed "
        "or seriously injured (KSI), by calendar year.",
        ("transport",), ("road safety", "collisions", "vision zero", "ksi"),
        "borough_series", _series(("collisions", 300, 1500, 0),
                                  ("killed_or_seriously_injured", 40, 260, 0), period="year",
                                  periods=10),
        frequency="ANNUAL", age_days=430, london=True, owner="Director of Investment Delivery",
    ),
    DemoDataset(
        "Children in low income families by borough", "gla",
        "Children under 16 living in relative low income families before housing costs.",
        ("population-and-society", "economy"), ("child poverty", "cost of living", "income"),
        "borough_series", _series(("children_in_low_income_families", 2000, 30000, 0),
                                  ("percent_of_children", 12, 42, 1), period="year", periods=8),
        frequency="ANNUAL", age_days=60, london=True,
    ),
    DemoDataset(
        "Universal Credit claimants by borough", "gla",
        "People on Universal Credit each month, by the borough they live in.",
        ("economy",), ("universal credit", "benefits", "cost of living"),
        "borough_series", _series(("claimants", 2000, 50000, 0), period="month", periods=24),
        frequency="MONTHLY", age_days=80, london=True,
    ),
    DemoDataset(
        "Council tax collection rates by borough", "london-councils",
        "The share of council tax due in each financial year that was collected in that year.",
        ("government", "economy"), ("council tax", "revenues", "collection"),
        "borough_series", _series(("collection_rate_percent", 92, 98.5, 1), period="year",
                                  periods=10),
        frequency="ANNUAL", fmt="xlsx", age_days=150, london=True, resource="Collection rates",
    ),
    DemoDataset(
        "Licensed houses in multiple occupation by borough", "london-councils",
        "Houses in multiple occupation licensed under mandatory, additional and selective "
        "licensing schemes, at the end of each financial year.",
        ("housing",), ("hmo", "private rented sector", "licensing"),
        "borough_series", _series(("licensed_hmos", 100, 6000, 0), period="year", periods=6),
        frequency="ANNUAL", age_days=300, london=True,
    ),
    DemoDataset(
        "Digital exclusion risk by borough", "loti",
        "Estimated residents who are offline or lack basic digital skills, and a 1 to 10 risk "
        "score, from the London digital exclusion model. Shared with borough digital inclusion "
        "leads while the method is peer reviewed.",
        ("population-and-society", "science-and-technology"),
        ("digital inclusion", "get online london", "digital skills"),
        "borough_series", _series(("residents_offline_estimate", 1000, 30000, 0),
                                  ("digital_exclusion_score", 1, 10, 1), period="year", periods=4),
        frequency="ANNUAL", access="signed_in", age_days=100, london=True,
    ),
    DemoDataset(
        "Public electric vehicle chargepoints by borough", "tfl",
        "Public chargepoints and rapid chargepoints installed in each borough, by quarter.",
        ("transport", "energy"), ("electric vehicles", "ev charging", "net zero"),
        "borough_series", _series(("public_chargepoints", 50, 3000, 0),
                                  ("rapid_chargepoints", 2, 120, 0)),
        versions=2, age_days=30, london=True,
    ),
    DemoDataset(
        "Homelessness prevention and relief duties by borough", "london-councils",
        "Households owed a prevention or relief duty under the Homelessness Reduction Act each "
        "quarter. Shared with boroughs ahead of the national release.",
        ("housing",), ("homelessness", "prevention", "homelessness reduction act", "h-clic"),
        "borough_series", _series(("prevention_duties", 150, 900, 0),
                                  ("relief_duties", 120, 800, 0)),
        access="signed_in", age_days=40, london=True,
    ),
    DemoDataset(
        "Annual mean air pollution by borough", "gla",
        "Modelled annual mean concentrations of nitrogen dioxide and fine particulate matter "
        "(PM2.5), averaged over each borough.",
        ("environment", "health"), ("air quality", "no2", "pm2.5", "ulez"),
        "borough_series", _series(("no2_annual_mean_ugm3", 18, 42, 1),
                                  ("pm25_annual_mean_ugm3", 8, 13, 1), period="year", periods=6),
        frequency="ANNUAL", age_days=240, london=True,
    ),
    DemoDataset(
        "Library visits and loans by borough", "london-councils",
        "Visits to public libraries and items lent, by financial year.",
        ("education",), ("libraries", "culture", "reading"),
        "borough_series", _series(("visits", 150000, 2500000, 0), ("loans", 90000, 1500000, 0),
                                  period="year", periods=5),
        frequency="ANNUAL", fmt="xlsx", age_days=500, london=True, resource="Visits and loans",
    ),
    DemoDataset(
        "Noise complaints by borough", "london-councils",
        "Noise complaints made to each borough's environmental health team, by month.",
        ("environment", "health"), ("noise", "nuisance", "environmental health"),
        "borough_series", _series(("complaints", 150, 2200, 0), period="month", periods=12),
        frequency="MONTHLY", fmt="json", age_days=25, london=True,
    ),
    DemoDataset(
        "Planning applications decided by borough", "london-councils",
        "Planning applications decided each quarter, and the share decided in time.",
        ("regions-and-cities",), ("planning", "development management"),
        "borough_series", _series(("applications_decided", 300, 1400, 0),
                                  ("percent_in_time", 70, 97, 1)),
        age_days=100, london=True,
    ),
    DemoDataset(
        "Affordable homes completed by borough", "gla",
        "New affordable homes completed each financial year: social rent, London Affordable "
        "Rent and shared ownership together.",
        ("housing",), ("affordable housing", "new homes", "housebuilding"),
        "borough_series", _series(("affordable_homes_completed", 40, 1800, 0), period="year",
                                  periods=10),
        frequency="ANNUAL", age_days=160, london=True,
    ),
]  # fmt: skip

LSOA_TABLES: list[DemoDataset] = [
    DemoDataset(
        "Fuel poverty estimates by LSOA", "gla",
        "Households in fuel poverty in each Lower layer Super Output Area (LSOA), under the "
        "Low Income Low Energy Efficiency measure. The schema describes every column.",
        ("energy", "housing"), ("fuel poverty", "cost of living", "energy efficiency", "lsoa"),
        "lsoa", {"total": "households", "count": "fuel_poor_households",
                 "rate": "fuel_poverty_percent", "mean": 0.13},
        frequency="ANNUAL", age_days=70, london=True, schema=FUEL_POVERTY_SCHEMA,
    ),
    DemoDataset(
        "Homes without superfast broadband by LSOA", "loti",
        "Premises in each LSOA that cannot get a superfast (30 Mbit/s) broadband connection.",
        ("science-and-technology",), ("broadband", "connectivity", "digital inclusion", "lsoa"),
        "lsoa", {"total": "premises", "count": "premises_without_superfast",
                 "rate": "percent_without_superfast", "mean": 0.05, "sd": 0.03},
        frequency="ANNUAL", age_days=150, london=True,
    ),
    DemoDataset(
        "Council tax arrears by LSOA", "croydon",
        "Council tax accounts in arrears at the end of each quarter, by LSOA, for targeting "
        "debt advice. Restricted: small areas and financial hardship.",
        ("economy", "government"), ("council tax", "debt", "cost of living", "lsoa"),
        "lsoa", {"total": "accounts", "count": "accounts_in_arrears", "rate": "percent_in_arrears"},
        access="restricted", age_days=45, owner="Director of Finance",
    ),
    DemoDataset(
        "Housing benefit claimants by LSOA", "hackney",
        "Households claiming housing benefit, by LSOA. Restricted: shared with partners "
        "working on homelessness prevention under an agreement.",
        ("housing", "economy"), ("housing benefit", "benefits", "lsoa"),
        "lsoa", {"total": "households", "count": "housing_benefit_claimants",
                 "rate": "percent_claiming", "mean": 0.15},
        access="restricted", age_days=20, owner="Head of Benefits and Housing Needs",
    ),
    DemoDataset(
        "Older people receiving home care by LSOA", "barnet",
        "Residents aged 65 and over receiving council-funded home care, by LSOA.",
        ("health",), ("adult social care", "home care", "older people", "lsoa"),
        "lsoa", {"total": "residents_65_plus", "count": "receiving_home_care",
                 "rate": "percent_receiving", "mean": 0.04, "sd": 0.02},
        access="restricted", frequency="MONTHLY", age_days=95,
        owner="Director of Adult Social Services",
    ),
    DemoDataset(
        "Free school meals eligibility by LSOA", "newham",
        "Pupils eligible for free school meals, by the LSOA they live in.",
        ("education", "economy"), ("free school meals", "cost of living", "schools", "lsoa"),
        "lsoa", {"total": "pupils", "count": "eligible_for_fsm", "rate": "percent_eligible",
                 "mean": 0.3, "sd": 0.08},
        frequency="ANNUAL", access="signed_in", age_days=60,
    ),
    DemoDataset(
        "Overcrowded households by LSOA", "tower-hamlets",
        "Households with fewer bedrooms than they need under the bedroom standard, by LSOA.",
        ("housing",), ("overcrowding", "housing need", "lsoa"),
        "lsoa", {"total": "households", "count": "overcrowded", "rate": "percent_overcrowded",
                 "mean": 0.16},
        frequency="ANNUAL", age_days=380,
    ),
    DemoDataset(
        "Council housing repairs backlog by LSOA", "southwark",
        "Council homes with an open repair older than 28 days, by LSOA.",
        ("housing",), ("repairs", "council housing", "damp", "lsoa"),
        "lsoa", {"total": "council_homes", "count": "homes_with_old_repairs",
                 "rate": "percent_with_old_repairs", "mean": 0.08},
        frequency="MONTHLY", access="signed_in", age_days=9,
    ),
]  # fmt: skip
