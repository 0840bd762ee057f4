"""The London-wide themes projects are filed under (loaded by migration 0002)."""

from typing import NamedTuple


class ThemeRef(NamedTuple):
    slug: str
    name: str
    description: str


THEMES: tuple[ThemeRef, ...] = (
    ThemeRef("net-zero", "Net zero", "Cutting carbon: retrofit, energy, air quality, climate."),
    ThemeRef("digital-inclusion", "Digital inclusion", "Skills, devices and connectivity."),
    ThemeRef("social-care", "Social care", "Adult social care and support at home."),
    ThemeRef("homelessness", "Homelessness", "Preventing and relieving homelessness."),
    ThemeRef("cost-of-living", "Cost of living", "Income maximisation and financial support."),
    ThemeRef("housing", "Housing", "Council housing, repairs, temporary accommodation."),
    ThemeRef("transport", "Transport", "Streets, parking, active travel and mobility."),
    ThemeRef("childrens-services", "Children's services", "Early help, education, safeguarding."),
    ThemeRef("data-infrastructure", "Data and infrastructure", "Shared data, cloud, platforms."),
    ThemeRef("health", "Health and wellbeing", "Public health and integrated care."),
    ThemeRef("community-safety", "Community safety", "Antisocial behaviour, violence, CCTV."),
    ThemeRef("customer-services", "Customer services", "Contact, forms, payments, bookings."),
    ThemeRef("planning", "Planning and regeneration", "Planning applications and local plans."),
    ThemeRef("environment", "Environment and waste", "Waste, recycling, parks and cleansing."),
    ThemeRef("democracy", "Democracy and engagement", "Consultation and participation."),
    ThemeRef("cyber", "Cyber security", "Protecting systems and data."),
    ThemeRef("other", "Other", "Anything the themes above do not cover."),
)
