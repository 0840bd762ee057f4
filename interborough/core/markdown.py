"""Markdown that people type (dataset descriptions, and anything else that takes Markdown),
rendered safely as GOV.UK-styled HTML.

Raw HTML is off, so `<script>` comes out as text; links keep only http, https and mailto
addresses (anything else, `javascript:` and `data:` included, stays as plain text); images are
off, so a description cannot load a tracker. Headings start at `first_heading`, so a page's own
outline (its h1 and h2) stays intact.
"""

from markdown_it import MarkdownIt
from markdown_it.token import Token

SAFE_SCHEMES = ("http://", "https://", "mailto:")
# The GOV.UK class each element gets; headings are sized by their level below.
CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}
HEADING_CLASSES = {2: "govuk-heading-l", 3: "govuk-heading-m", 4: "govuk-heading-s"}


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).disable("image")
    parser.validateLink = _safe_link  # type: ignore[method-assign]
    return parser


_PARSER = _parser()


def _style(tokens: list[Token], first_heading: int) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + first_heading - 1)
            token.tag = f"h{level}"
            if token.type == "heading_open":
                token.attrSet("class", HEADING_CLASSES.get(level, "govuk-heading-s"))
        elif token.type in CLASSES:
            token.attrSet("class", CLASSES[token.type])
        if token.type == "link_open":
            # People's links go elsewhere: no referrer, and no ranking boost for spam.
            token.attrSet("rel", "nofollow noopener noreferrer")
        if token.children:
            _style(token.children, first_heading)


def render_markdown(text: str, *, first_heading: int = 3) -> str:
    """The text as HTML that is safe to put on a page (see the module docstring)."""
    tokens = _PARSER.parse(text or "")
    _style(tokens, first_heading)
    return _PARSER.renderer.render(tokens, _PARSER.options, {})
