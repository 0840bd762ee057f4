import difflib
import json

from tests.snapshot_openapi import SNAPSHOT, current_schema, render

MESSAGE = "API contract changed: run make openapi and commit the snapshot"


def test_openapi_schema_matches_the_committed_snapshot():
    assert SNAPSHOT.exists(), f"{MESSAGE} (no snapshot at {SNAPSHOT})"
    committed = SNAPSHOT.read_text(encoding="utf-8")
    live = render(current_schema())
    if live != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                live.splitlines(keepends=True),
                "tests/snapshots/openapi.json (committed)",
                "live schema",
                n=2,
            )
        )
        raise AssertionError(f"{MESSAGE}.\n{diff[:4000]}")


def test_openapi_snapshot_is_valid_json_with_every_path_under_api_v1():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert snapshot["openapi"].startswith("3.")
    assert snapshot["paths"]
    assert all(path.startswith("/api/v1/") for path in snapshot["paths"])
