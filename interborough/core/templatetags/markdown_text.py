"""`{% load markdown_text %}` then `{{ text|markdown }}`: Markdown rendered safely
(core/markdown.py), for any page that shows text people wrote in Markdown."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from interborough.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, first_heading: int = 3) -> SafeString:
    """The text as safe HTML; headings start at `first_heading` (`{{ text|markdown:2 }}`)."""
    return mark_safe(render_markdown(str(text or ""), first_heading=int(first_heading)))  # noqa: S308  (the renderer escapes everything; raw HTML is off)
