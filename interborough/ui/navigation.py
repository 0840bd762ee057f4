"""Service navigation: one slot per module. A module adds its entry here when it lands."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    path_prefix: str
    staff_only: bool = False
    signed_in_only: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "ui:home", "/$"),
    NavItem("Organisations", "accounts:organisation-list", "/organisations/"),
    NavItem("Projects", "pipeline:project-list", "/projects/"),
    NavItem("Market", "pipeline:market", "/market/"),
    NavItem("Contracts", "pipeline:contract-list", "/contracts/", signed_in_only=True),
    NavItem("Data", "catalogue:dataset-list", "/datasets/"),
    NavItem("Agreements", "sharing:register", "/agreements/"),
    # Slots for modules still to come: linkage, sensors.
    NavItem("Audit trail", "core:audit-list", "/audit/", staff_only=True),
]
