"""Render Django form fields as GOV.UK Frontend form groups, with their error messages."""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def govuk_field(
    field: forms.BoundField, label_class: str = "govuk-label--s", width: str = ""
) -> SafeString:
    """One field as a GOV.UK form group; `label_class` sizes the label, `width` the input."""
    kind = _kind(field.field.widget)
    return render_to_string(
        f"ui/fields/{kind}.html",
        {
            "field": field,
            "label_class": label_class,
            "width": width,
            "input_type": getattr(field.field.widget, "input_type", "text"),
        },
    )
