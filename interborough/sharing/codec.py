"""Agreements as files: dump a document to YAML or JSON, and load one back safely.

Loading is for untrusted uploads, so it refuses rather than guesses: a size cap before parsing,
UTF-8 only, YAML through a safe loader that also refuses aliases and anchors (no "billion laughs"),
explicit tags and duplicate keys, and only plain JSON-like data comes out (text keys; text,
numbers, true/false, null, lists and mappings). Every refusal is a DocumentError whose message
says what is wrong and, where the parser knows, the line and column.

Unquoted YAML dates (`start: 2026-04-01`) load as the text "2026-04-01", the form the document
uses, rather than as date objects.

Pure Python (no Django).
"""

import json
import math
import re
from typing import Any, Literal

import yaml

MAX_BYTES = 1024 * 1024  # 1 MB: a full agreement is a few tens of kilobytes
MAX_DEPTH = 32  # the document is 6 levels deep; anything far deeper is not an agreement
# YAML parsers slow down badly on deeply nested brackets (libyaml takes seconds, PyYAML's own
# parser minutes, on 20,000 "["), so bracket depth is checked before any parser runs.
MAX_BRACKET_DEPTH = 64
_BRACKETS = re.compile(r"[\[\]{}]")

Format = Literal["yaml", "json"]


class DocumentError(ValueError):
    """An uploaded agreement file that cannot be read, with a message a person can act on."""

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str = "",
    ):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path  # where in the document, dotted (data.datasets.0.key), when known


# Characters PyYAML treats as line breaks inside plain and single-quoted text, so they do not
# survive a round trip there; double quotes escape them.
_LINE_BREAKS = frozenset("\x85\u2028\u2029")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes text holding unusual line breaks (exact round trips)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if _LINE_BREAKS.intersection(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(document: dict[str, Any], fmt: Format) -> str:
    """The document as YAML (block style, keys in document order) or JSON (indented)."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "yaml":
        return yaml.dump(
            document,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
    raise ValueError(f"Unknown format {fmt!r}: use 'yaml' or 'json'.")


def _mark(node_or_event: Any) -> tuple[int | None, int | None]:
    mark = getattr(node_or_event, "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _refuse(what: str, node_or_event: Any) -> DocumentError:
    line, column = _mark(node_or_event)
    where = f" at line {line}, column {column}" if line else ""
    return DocumentError(f"The YAML{where} {what}", line=line, column=column)


# libyaml's C parser when installed (fast on a 1 MB upload), PyYAML's own otherwise; both safe.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader with dates left as text and duplicate keys refused."""

    # Dates stay text: drop the implicit timestamp resolver (copied so SafeLoader is untouched).
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _refuse("has a key that is a list or a mapping: keys must be text.", key_node)
            if key_node.value in seen:
                raise _refuse(
                    f"has the key '{key_node.value}' twice in the same mapping: keep one.",
                    key_node,
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _refuse_beyond_plain_data(text: str) -> None:
    """Scan the YAML events before building anything: no aliases, anchors or explicit tags.

    Refusing aliases outright (rather than limiting expansion) is what stops "billion laughs":
    nothing is ever expanded. Plain data never needs them.
    """
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(
                "uses an alias (*name). Aliases are refused: write the value out in full.", event
            )
        if getattr(event, "anchor", None) is not None:
            raise _refuse(
                "uses an anchor (&name). Anchors are refused: write the value out in full.", event
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _refuse(f"uses the tag {tag}. Tags are refused: write plain values.", event)


def _encodable(text: str) -> bool:
    """False for text holding lone surrogates (JSON "\\ud800"), which UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_problem(text: str, what: str) -> str | None:
    if not _encodable(text):
        return f"{what} contains a character that is not valid Unicode."
    if "\x00" in text:
        return f"{what} contains a NUL character (\\u0000), which cannot be stored."
    return None


def _value_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return _text_problem(value, "The text")
    if isinstance(value, float) and not math.isfinite(value):
        return f"The value is not a number: {value}. Give a number or null."
    if not isinstance(value, str | int | float | bool | type(None) | dict | list):
        return "The value must be text, a number, true/false or null."
    return None


def check_plain(document: Any) -> None:
    """Refuse anything that is not plain JSON-like data that can be stored: text keys; text
    without NUL characters or lone surrogates; finite numbers; true/false; null; lists and
    mappings no deeper than MAX_DEPTH. The DocumentError names the path (`data.datasets.0`).

    For documents parsed here and for ones that arrive already parsed (an API's JSON body)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        where = f" at {path}" if path else ""
        if depth > MAX_DEPTH:
            raise DocumentError("The file is nested too deeply to be an agreement.", path=path)
        if problem := _value_problem(value):
            raise DocumentError(f"{problem.removesuffix('.')}{where}.", path=path)
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise DocumentError(
                        f"The key {key!r}{where} must be text: put it in quotes.", path=path
                    )
                if problem := _text_problem(key, "A key"):
                    raise DocumentError(f"{problem.removesuffix('.')}{where}.", path=path)
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{path}.{index}" if path else str(index), depth + 1))


def _text(data: str | bytes) -> str:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise DocumentError(
            f"The file is {len(raw) / 1024 / 1024:.1f} MB; an agreement file must be at most "
            f"{MAX_BYTES // 1024 // 1024} MB."
        )
    if isinstance(data, str):
        text = data
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DocumentError(
                f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). Save it as "
                "UTF-8 YAML or JSON and upload it again."
            ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise DocumentError("The file contains binary data: upload a YAML or JSON text file.")
    if not text.strip():
        raise DocumentError("The file is empty: it should contain an agreement in YAML or JSON.")
    return text


def _too_deep(text: str) -> bool:
    """True when brackets nest deeper than any agreement could (counted naively, stops early)."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return True
        else:
            depth = max(depth - 1, 0)
    return False


def _reject_constant(name: str) -> Any:
    raise DocumentError(f"The JSON contains {name}, which is not a number: use a number or null.")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DocumentError(f"The JSON has the key '{key}' twice in the same object: keep one.")
        result[key] = value
    return result


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"The JSON is malformed at line {error.lineno}, column {error.colno}: {error.msg}.",
            line=error.lineno,
            column=error.colno,
        ) from None


def _load_yaml(text: str) -> Any:
    try:
        _refuse_beyond_plain_data(text)
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - _PlainLoader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "it cannot be read"
        if mark is None:
            raise DocumentError(f"The YAML is malformed: {problem}.") from None
        line, column = mark.line + 1, mark.column + 1
        raise DocumentError(
            f"The YAML is malformed at line {line}, column {column}: {problem}.",
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError as error:
        raise DocumentError(f"The YAML is malformed: {error}.") from None


def load(data: str | bytes, fmt: Format | None = None) -> dict[str, Any]:
    """Parse an uploaded agreement file; fmt None sniffs (JSON when it starts with "{")."""
    if fmt not in (None, "yaml", "json"):
        raise ValueError(f"Unknown format {fmt!r}: use 'yaml', 'json' or None to sniff.")
    text = _text(data)
    if _too_deep(text):
        raise DocumentError("The file is nested too deeply to be an agreement.")
    if fmt is None:
        fmt = "json" if text.lstrip().startswith("{") else "yaml"
    try:
        document = _load_json(text) if fmt == "json" else _load_yaml(text)
        check_plain(document)
    except RecursionError:
        raise DocumentError("The file is nested too deeply to be an agreement.") from None
    if document is None:
        raise DocumentError("The file has no agreement in it, only comments or blank lines.")
    if not isinstance(document, dict):
        kind = "a list" if isinstance(document, list) else "a single value"
        raise DocumentError(
            f"The file holds {kind}; an agreement is a mapping of sections (format, title, "
            "dates, parties, ...) at the top level."
        )
    return document
