"""Information sharing framework: machine-readable data sharing agreements that the platform
drafts, signs, publishes and enforces (one policy decision point, `policy.decide`)."""
