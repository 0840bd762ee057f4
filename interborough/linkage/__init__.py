"""Privacy-preserving data collaboration (issue 6): link people across boroughs without
identities leaving them, and release only disclosure-controlled tables."""
