"""Markdown people type, rendered safely (core/markdown.py) and through its template filter."""

import pytest
from django.template import Context, Template

from interborough.core.markdown import render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<a href='https://x.example'>raw link</a>",
    ],
)
def test_markdown_raw_html_comes_out_as_text(text):
    rendered = render_markdown(text)

    assert "<script" not in rendered and "<img" not in rendered and "<a href='" not in rendered
    assert "&lt;" in rendered


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
        "[x](/relative/path)",
    ],
)
def test_markdown_links_other_than_web_and_mail_are_not_links(link):
    assert "href=" not in render_markdown(link)


def test_markdown_keeps_web_and_mail_links_styled_and_without_referrer():
    rendered = render_markdown("[source](https://example.org/a) and [mail](mailto:data@x.gov.uk)")

    assert (
        '<a href="https://example.org/a" class="govuk-link" rel="nofollow noopener noreferrer">'
        in rendered
    )
    assert 'href="mailto:data@x.gov.uk"' in rendered


def test_markdown_images_are_not_loaded():
    assert "<img" not in render_markdown("![tracker](https://tracker.example/pixel.png)")


def test_markdown_styles_paragraphs_lists_and_headings_below_the_page_outline():
    rendered = render_markdown("# Method\n\nText\n\n- one\n- two\n\n1. first", first_heading=3)

    assert '<h3 class="govuk-heading-m">Method</h3>' in rendered
    assert '<p class="govuk-body">Text</p>' in rendered
    assert '<ul class="govuk-list govuk-list--bullet">' in rendered
    assert '<ol class="govuk-list govuk-list--number">' in rendered


def test_markdown_filter_marks_the_result_safe_and_escapes_html():
    template = Template("{% load markdown_text %}{{ text|markdown:2 }}")

    rendered = template.render(Context({"text": "# Title\n\n<b>bold</b> **strong**"}))

    assert '<h2 class="govuk-heading-l">Title</h2>' in rendered
    assert "&lt;b&gt;bold&lt;/b&gt; <strong>strong</strong>" in rendered


def test_markdown_of_nothing_is_nothing():
    assert render_markdown("") == ""
