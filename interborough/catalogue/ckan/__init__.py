"""The CKAN Action API (v3) over the data store, so existing CKAN tools work unchanged.

`views.py` answers /api/3/action/<name> and /api/action/<name> with CKAN's envelope and error
types; `actions.py` holds the catalogue actions, `datastore.py` the DataStore actions,
`dicts.py` turns our records into CKAN's package, resource and organisation dictionaries and
`params.py` reads CKAN's parameters. Every action is read-only: nothing here writes.
"""
