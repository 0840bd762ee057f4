"""Helpers shared by the drafting journey's tests: the draft's reference, its page addresses,
and what a browser posts for a section page."""

import re
from datetime import date

from django.urls import reverse

from interborough.sharing.forms import EDITORS, DatasetFieldsEditor
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.views.drafting_common import section_choices

REF = "DSA-2026-0042"


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def tasks_url(agreement=None, version=1) -> str:
    return reverse("sharing:draft-tasks", args=[agreement.reference if agreement else REF, version])


def section_url(section: str, agreement=None) -> str:
    reference = agreement.reference if agreement else REF
    return reverse("sharing:draft-section", args=[reference, 1, section])


def reload(agreement) -> DataSharingAgreement:
    return DataSharingAgreement.objects.get(pk=agreement.pk)


def posted(agreement, section: str, key: str | None = None, **changes) -> dict:
    """What a browser posts for a section page left as it is, with `changes` on top."""
    document = reload(agreement).document
    if key is not None:
        editor = DatasetFieldsEditor(document, key=key)
    else:
        editor = EDITORS[section](document, choices=section_choices(datasets_of=reload(agreement)))
    data: dict = {}
    for form in editor.forms():
        for field in form:
            value = field.value()
            if value in (None, "", [], False):
                continue
            if isinstance(value, date):
                value = value.strftime("%d/%m/%Y")
            data[field.html_name] = (
                [str(v) for v in value]
                if isinstance(value, list)
                else ("on" if value is True else str(value))
            )
    data.update(changes)
    return data
