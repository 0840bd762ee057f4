"""The catalogue's topics (loaded by migration 0002): the themes of the EU Data Theme vocabulary
that DCAT-AP uses, so each maps to its standard URI in the DCAT export."""

from typing import NamedTuple

DATA_THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"


class TopicRef(NamedTuple):
    slug: str
    name: str
    data_theme: str  # the EU Data Theme code


TOPICS: tuple[TopicRef, ...] = (
    TopicRef("population-and-society", "Population and society", "SOCI"),
    TopicRef("housing", "Housing", "SOCI"),
    TopicRef("health", "Health", "HEAL"),
    TopicRef("education", "Education, culture and sport", "EDUC"),
    TopicRef("environment", "Environment", "ENVI"),
    TopicRef("energy", "Energy", "ENER"),
    TopicRef("transport", "Transport", "TRAN"),
    TopicRef("economy", "Economy and finance", "ECON"),
    TopicRef("government", "Government and public sector", "GOVE"),
    TopicRef("justice", "Justice and public safety", "JUST"),
    TopicRef("regions-and-cities", "Regions and cities", "REGI"),
    TopicRef("science-and-technology", "Science and technology", "TECH"),
    TopicRef("agriculture", "Agriculture, food and forestry", "AGRI"),
    TopicRef("international", "International issues", "INTR"),
)
