"""The demo's project archetypes and council systems: made-up but realistic London work.

Each archetype is run by several organisations, worded a little differently each time, so the
demo shows "similar projects in other boroughs" doing their job. Product and supplier names are
invented.
"""

from typing import NamedTuple


class Archetype(NamedTuple):
    titles: tuple[str, ...]
    summary: str
    problem: str
    user_needs: str
    outcomes: str
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    technology: str
    market_need: str = ""


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        ("Damp and mould reporting", "Reporting damp and mould online", "Damp and mould triage"),
        "Tenants report damp and mould with photos, and surveyors triage cases the same day.",
        "Damp and mould reports arrive by phone and email, are logged inconsistently and wait "
        "weeks for an inspection, while the health risk to tenants grows.",
        "Council tenants need to report damp quickly and know when a surveyor will visit; "
        "surveyors need photos and history before they go.",
        "Every damp and mould case inspected within 10 working days; fewer repeat reports.",
        ("housing", "health"),
        ("damp", "mould", "repairs", "tenants", "awaab's law"),
        "Low-code case management, photo upload, housing management system integration",
        "A repairs triage product that meets Awaab's Law timescales.",
    ),
    Archetype(
        ("Temporary accommodation placements tracker", "Tracking out-of-borough placements"),
        "A shared record of temporary accommodation placements so boroughs know who is placed "
        "in their area and can plan school places and support.",
        "Families are placed in temporary accommodation across borough boundaries and the "
        "receiving borough is often not told, so support arrives late.",
        "Housing officers need to notify the receiving borough; the receiving borough needs to "
        "plan school places, health visiting and support.",
        "Every out-of-borough placement notified within 2 working days.",
        ("homelessness", "housing", "childrens-services"),
        ("temporary accommodation", "placements", "notifications", "s208"),
        "Shared API between housing systems, notification service",
    ),
    Archetype(
        (
            "Homelessness prevention triage",
            "Early homelessness prevention",
            "Prevention duty triage",
        ),
        "Triage tool that spots households at risk of homelessness early and routes them to "
        "prevention advice before a crisis.",
        "Households approach the council only when eviction is days away, when prevention "
        "options are narrow and temporary accommodation is the only answer.",
        "Residents at risk need advice before the notice ends; officers need a clear picture "
        "of income, tenancy and debts.",
        "More prevention duty cases ending in secured accommodation; fewer TA placements.",
        ("homelessness", "cost-of-living"),
        ("prevention", "triage", "eviction", "homelessness reduction act"),
        "Online triage form, predictive risk model, case management",
    ),
    Archetype(
        (
            "Cost of living support finder",
            "Help with the cost of living",
            "Benefits and support checker",
        ),
        "One place for residents to find every grant, discount and benefit they may be "
        "entitled to, with an eligibility checker.",
        "Residents miss support they are entitled to because schemes are scattered across "
        "council, government and charity websites.",
        "Residents on low incomes need to find support in minutes, on a phone, in plain "
        "English and other community languages.",
        "Higher take-up of council tax support, free school meals and pension credit.",
        ("cost-of-living", "digital-inclusion"),
        ("benefits", "eligibility", "income maximisation", "pension credit"),
        "Eligibility rules engine, content management, accessibility testing",
        "An eligibility calculator that can be embedded in council websites.",
    ),
    Archetype(
        ("Low income family tracker", "Household support fund targeting"),
        "Uses council tax and housing benefit data to find households missing support and "
        "offer it proactively.",
        "Targeted support goes to those who apply, not those in most need; many eligible "
        "households never claim.",
        "Financial inclusion teams need a list of households likely to be missing support, "
        "with consent and data protection built in.",
        "Millions of pounds of unclaimed support reaching residents each year.",
        ("cost-of-living", "data-infrastructure"),
        ("income maximisation", "data matching", "council tax", "housing benefit"),
        "Data warehouse, analytics dashboards",
    ),
    Archetype(
        (
            "Retrofit planning for council homes",
            "Housing stock retrofit plan",
            "Net zero retrofit modelling",
        ),
        "Models the retrofit measures, costs and carbon savings for every council home to plan "
        "the path to net zero.",
        "The council lacks property-level data on insulation, heating and energy performance, "
        "so retrofit plans are guesses.",
        "Asset managers need a costed, prioritised retrofit programme; tenants need warmer, "
        "cheaper-to-heat homes.",
        "A costed retrofit plan for all council housing and bids ready for government funding.",
        ("net-zero", "housing"),
        ("retrofit", "epc", "insulation", "heat pumps", "stock condition"),
        "Energy performance data, building physics model, GIS",
        "Property-level retrofit modelling and surveys.",
    ),
    Archetype(
        (
            "Electric vehicle charge point rollout",
            "Kerbside EV charging",
            "On-street EV charging programme",
        ),
        "Plans and installs on-street electric vehicle charge points where residents without "
        "driveways need them.",
        "Most residents have no off-street parking, so switching to an electric vehicle is hard "
        "without public chargers near home.",
        "Residents need chargers within a few minutes' walk; the council needs to site them "
        "fairly and keep pavements clear.",
        "A charger within 500 metres of every home by 2030.",
        ("net-zero", "transport"),
        ("ev charging", "electric vehicles", "kerbside", "parking"),
        "Demand modelling, GIS, charge point operator APIs",
        "Charge point operators for a concession contract.",
    ),
    Archetype(
        (
            "Air quality monitoring network",
            "Low-cost air quality sensors",
            "Air quality near schools",
        ),
        "A network of air quality sensors near schools and busy roads, with open data and alerts.",
        "The few reference monitors do not show pollution at street level where children walk "
        "to school.",
        "Parents and schools need to see pollution on their routes; officers need evidence for "
        "school streets and traffic schemes.",
        "School streets and traffic changes targeted where pollution is worst.",
        ("net-zero", "health", "transport"),
        ("air quality", "sensors", "no2", "pm2.5", "school streets", "iot"),
        "IoT sensors, LoRaWAN, SensorThings API, open data",
    ),
    Archetype(
        (
            "Adult social care digital front door",
            "Online care needs assessment",
            "Care assessment self-service",
        ),
        "Residents and carers start a care needs assessment online and see what support is "
        "available before waiting for a social worker.",
        "People wait weeks for an assessment and many could be helped sooner by equipment, "
        "advice or community support.",
        "Older and disabled residents and their carers need to ask for help in their own time "
        "and know what happens next.",
        "Shorter waits for assessment; more people helped at the first contact.",
        ("social-care", "customer-services"),
        ("adult social care", "self-assessment", "carers", "care act"),
        "Online forms integrated with the social care case management system",
        "A self-assessment product that integrates with social care case management.",
    ),
    Archetype(
        ("Care technology and falls prevention", "Proactive telecare", "Digital care technology"),
        "Uses sensors and telecare in the home to prevent falls and hospital admissions.",
        "Falls are a leading cause of hospital admission for older residents and often follow "
        "warning signs nobody sees.",
        "Older residents want to stay independent at home; families want reassurance; care "
        "teams want early warnings.",
        "Fewer falls and hospital admissions among people using care technology.",
        ("social-care", "health"),
        ("telecare", "falls", "sensors", "care technology", "analogue switchover"),
        "Digital telecare, sensors, monitoring centre platform",
        "Digital telecare devices before the analogue telephone switch-off.",
    ),
    Archetype(
        (
            "Digital inclusion device lending",
            "Device and data bank",
            "Get online: devices and skills",
        ),
        "Lends refurbished laptops and data SIMs to residents who are offline and pairs them "
        "with a digital champion.",
        "Thousands of residents cannot apply for jobs, benefits or school places online because "
        "they have no device, data or skills.",
        "Digitally excluded residents need a device, data and patient help in their community.",
        "Residents able to use essential online services on their own.",
        ("digital-inclusion", "cost-of-living"),
        ("devices", "data poverty", "digital skills", "libraries", "digital champions"),
        "Device refurbishment, mobile data SIMs, booking system",
    ),
    Archetype(
        ("Free wifi in community spaces", "Public wifi for libraries and estates"),
        "Free public wifi in libraries, community centres and estates with the most digital "
        "exclusion.",
        "Residents without home broadband rely on expensive mobile data.",
        "Residents need free, safe connectivity close to home.",
        "Connectivity in every community hub in the most excluded areas.",
        ("digital-inclusion",),
        ("wifi", "connectivity", "libraries", "estates"),
        "Managed wifi, fibre",
    ),
    Archetype(
        ("Special educational needs transport planning", "SEND travel route optimisation"),
        "Optimises home-to-school transport routes for children with special educational needs.",
        "SEND transport costs are rising fast and routes are planned by hand each term.",
        "Children need safe, reliable journeys; families need notice of changes; planners need "
        "efficient routes.",
        "Lower transport costs and shorter journeys for children.",
        ("childrens-services", "transport"),
        ("send", "school transport", "route optimisation"),
        "Route optimisation, GIS",
        "Route optimisation software for SEND transport.",
    ),
    Archetype(
        ("Early help family hub data", "Family hubs shared case view", "Early help single view"),
        "Brings together early help, school and health information so family hub workers see a "
        "family's whole picture.",
        "Families repeat their story to many services and risks are missed between them.",
        "Family workers need a single view with consent; families need to tell their story once.",
        "Earlier help and fewer families escalating to social care.",
        ("childrens-services", "data-infrastructure"),
        ("early help", "family hubs", "supporting families", "single view"),
        "Master data management, case management integration",
    ),
    Archetype(
        ("Parking permits online", "Digital parking permits", "Virtual parking permits"),
        "Residents and visitors buy and manage parking permits online with no paper permits.",
        "Paper permits are slow, costly to post and easy to forge.",
        "Residents need to buy and renew permits in minutes; enforcement officers need to check "
        "them instantly.",
        "Most permits bought online; lower administration cost.",
        ("transport", "customer-services"),
        ("parking", "permits", "payments", "vrm"),
        "Permit management system, payments, number plate recognition",
        "A virtual permit system integrated with enforcement.",
    ),
    Archetype(
        ("Missed bin collections reporting", "Waste collection service online"),
        "Residents report missed bins and order new containers online, with crews updated in "
        "real time.",
        "Missed collections are reported by phone and crews do not see them until the next day.",
        "Residents need to report in a minute and know when the bin will be collected.",
        "Fewer calls; missed bins collected within 2 working days.",
        ("environment", "customer-services"),
        ("waste", "bins", "recycling", "in-cab"),
        "Waste management system, in-cab devices, online forms",
    ),
    Archetype(
        ("Planning applications data standard", "Digital planning register", "Open planning data"),
        "Publishes planning applications as open data to the national planning data standard.",
        "Planning data is locked in PDFs and back-office systems that residents and developers "
        "cannot search.",
        "Residents need to see what is proposed nearby; developers need consistent data across "
        "boroughs.",
        "All planning applications published as structured open data.",
        ("planning", "data-infrastructure"),
        ("planning", "open data", "data standards", "planning.data.gov.uk"),
        "Planning back-office APIs, open data publishing",
    ),
    Archetype(
        (
            "Resident contact chatbot",
            "AI assistant for council enquiries",
            "Conversational front door",
        ),
        "A conversational assistant that answers common questions and hands over to staff.",
        "The contact centre is overwhelmed with simple questions that the website already answers.",
        "Residents need quick answers at any hour; staff need time for complex cases.",
        "Fewer simple calls; faster answers for residents.",
        ("customer-services",),
        ("chatbot", "ai", "contact centre", "generative ai"),
        "Large language model with retrieval, contact centre integration",
        "A conversational AI assistant with strong safeguards.",
    ),
    Archetype(
        ("Cloud migration of legacy systems", "Data centre exit", "Moving to the cloud"),
        "Moves the council's remaining servers to cloud hosting and retires the data centre.",
        "An ageing data centre is costly, hard to secure and a single point of failure.",
        "Services need resilient hosting; the council needs lower costs and better security.",
        "Data centre closed; recovery time objectives met for critical systems.",
        ("data-infrastructure", "cyber"),
        ("cloud", "migration", "data centre", "resilience"),
        "Public cloud, infrastructure as code",
    ),
    Archetype(
        ("Cyber security operations centre", "Shared security monitoring", "24/7 cyber monitoring"),
        "Round-the-clock security monitoring shared between councils.",
        "Councils are frequent targets of ransomware and few can staff a 24/7 security team.",
        "IT teams need alerts triaged by experts at any hour.",
        "Incidents detected and contained within hours, not days.",
        ("cyber",),
        ("cyber security", "soc", "ransomware", "monitoring"),
        "Security information and event management, endpoint detection",
        "A managed security operations service.",
    ),
    Archetype(
        ("Antisocial behaviour case management", "ASB reporting and case tracking"),
        "Residents report antisocial behaviour online and officers manage cases with partners.",
        "Reports sit in several systems across the council, police and housing providers.",
        "Victims need to be kept informed; officers need a shared case view.",
        "Faster resolution and fewer repeat victims.",
        ("community-safety",),
        ("asb", "antisocial behaviour", "case management", "police"),
        "Case management, partner portal",
    ),
    Archetype(
        (
            "Community engagement platform",
            "Online consultation hub",
            "Participatory budgeting online",
        ),
        "One platform for consultations, surveys and participatory budgeting.",
        "Consultations reach the same few voices and results are hard to analyse.",
        "Residents need to take part easily; officers need clear analysis and feedback loops.",
        "More, and more diverse, residents taking part in decisions.",
        ("democracy", "digital-inclusion"),
        ("consultation", "engagement", "participatory budgeting", "civic tech"),
        "Engagement platform, text analysis",
    ),
    Archetype(
        ("Street lighting LED and smart controls", "Smart street lighting"),
        "Replaces street lights with LEDs on a central management system that dims at night.",
        "Street lighting is one of the council's largest energy costs.",
        "Residents need safe, well-lit streets; the council needs lower energy use.",
        "Street lighting energy use halved.",
        ("net-zero", "environment"),
        ("street lighting", "led", "energy", "iot"),
        "Central management system, LoRaWAN",
    ),
    Archetype(
        ("Council tax self-service", "Revenues and benefits online account"),
        "Residents manage council tax, discounts and direct debits in an online account.",
        "Most council tax contacts are simple changes made by phone or post.",
        "Residents need to change details and see balances any time.",
        "Most council tax changes made online; fewer arrears.",
        ("customer-services", "cost-of-living"),
        ("council tax", "revenues", "self-service", "direct debit"),
        "Revenues and benefits system portal",
    ),
    Archetype(
        ("Void property turnaround", "Empty homes relet performance"),
        "Tracks empty council homes from keys returned to relet to cut the days they stand empty.",
        "Empty homes stand for weeks while families wait in temporary accommodation.",
        "Voids teams need to see each property's stage and blockers.",
        "Average relet time cut by a third.",
        ("housing", "homelessness"),
        ("voids", "relets", "repairs", "dashboards"),
        "Housing management system data, dashboards",
    ),
    Archetype(
        ("Tree planting and canopy map", "Urban forest inventory"),
        "Maps every street tree and canopy cover to plan planting where heat risk is highest.",
        "Tree records are incomplete and planting is not targeted at heat-vulnerable areas.",
        "Tree officers need a live inventory; residents want to request trees.",
        "Canopy cover raised in the most heat-exposed wards.",
        ("environment", "net-zero"),
        ("trees", "canopy", "urban heat", "gis"),
        "GIS, lidar, asset management",
    ),
    Archetype(
        ("Youth services digital offer", "Young people's activities finder"),
        "A mobile-first guide to activities, support and opportunities for young people.",
        "Young people do not know what is available near them and services struggle to reach them.",
        "Young people need a trusted, mobile-first place to find things to do and get help.",
        "More young people using youth services and opportunities.",
        ("childrens-services", "community-safety"),
        ("youth", "young people", "activities", "mobile"),
        "Content platform, open activity data",
    ),
    Archetype(
        ("Shared data platform for insight", "Borough data warehouse", "Modern data platform"),
        "A cloud data platform that joins service data for analysis with strong governance.",
        "Data is locked in service systems and analysts spend most of their time wrangling it.",
        "Analysts need clean, joined data; services need insight they can trust.",
        "Core datasets available to analysts within a day of change.",
        ("data-infrastructure",),
        ("data platform", "data warehouse", "analytics", "governance"),
        "Cloud data warehouse, dbt, dashboards",
        "Data engineering support for a cloud data platform.",
    ),
)

CONTRACT_SYSTEMS: tuple[tuple[str, str, str], ...] = (
    # (product, supplier, category)
    ("HomeLedger Housing", "Ledgerline Systems Ltd", "Housing management"),
    ("Tenancy360", "Quillfern Data Ltd", "Housing management"),
    ("RevBen Cloud", "Crestmoor Software plc", "Revenues and benefits"),
    ("CarePath", "Northwold Health Informatics", "Adults' social care case management"),
    ("ChildView", "Northwold Health Informatics", "Children's social care case management"),
    ("CivicDesk CRM", "Brindlewick Co-operative", "Customer relationship management"),
    ("PlanRight", "Eastmere Planning Systems", "Planning and building control"),
    ("ParkSmart", "Tollgate Mobility Ltd", "Parking enforcement"),
    ("BinRoute", "Greenstreet Fleet Tech", "Waste management"),
    ("Fintegra ERP", "Crestmoor Software plc", "Finance and HR"),
    ("ShelfLink", "Bookwise Library Systems", "Libraries"),
    ("VoteReady", "Ballot Box Digital Ltd", "Electoral registration"),
    ("EduTrack", "Schoolgate Data Ltd", "Education management"),
    ("CallFlow", "Harbourline Communications", "Contact centre telephony"),
    ("DocuVault", "Ledgerline Systems Ltd", "Document management"),
)
