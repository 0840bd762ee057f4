"""Borough-side encoder for privacy-preserving record linkage (issue 6).

Runs on an analyst's machine with no server: it normalises identifiers, derives ONS-style
comparison variables and turns them into keyed tokens and Bloom filters, so the hub can link
records without ever seeing a name, date of birth or postcode. Imports nothing from Django.
"""
