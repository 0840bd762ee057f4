"""How other apps reach the policy decision point without importing this app."""


def register() -> None:
    """Add agreements to the catalogue's flow checks (once, at app start)."""
    from interborough.catalogue.permissions import FLOW_CHECKS
    from interborough.sharing.policy import catalogue_read_allowed

    if catalogue_read_allowed not in FLOW_CHECKS:
        FLOW_CHECKS.append(catalogue_read_allowed)
