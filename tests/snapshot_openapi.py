"""Write the API's OpenAPI contract to tests/snapshots/openapi.json (`make openapi`).

The snapshot test compares the live schema with this file, so a change to the API contract
is always a deliberate, reviewed change to the committed snapshot.
"""

import json
import os
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "openapi.json"


def current_schema() -> dict[str, Any]:
    """The live OpenAPI schema of API v1."""
    from interborough.api.v1 import api

    return api.get_openapi_schema()


def render(schema: dict[str, Any]) -> str:
    """The schema as the snapshot stores it: sorted keys, two-space indent, final newline."""
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interborough.config.settings")
    os.environ.setdefault("INTERBOROUGH_DEBUG", "true")  # the dev key is enough to build a schema
    import django

    django.setup()
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(render(current_schema()), encoding="utf-8")
    print(f"Wrote {SNAPSHOT}")  # noqa: T201


if __name__ == "__main__":
    main()
