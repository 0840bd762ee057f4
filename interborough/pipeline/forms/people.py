"""Forms for people and projects: asking to contribute, deciding, following themes and tags."""

from typing import Any

from django import forms

from interborough.core.text import TAG_MAX_LENGTH
from interborough.pipeline.models import Theme
from interborough.pipeline.services.people import MESSAGE_MAX_LENGTH


class ContributionRequestForm(forms.Form):
    message = forms.CharField(
        label="What could you offer, or what do you want to learn?",
        help_text="The project's owners read this when they decide. Say who you are and how "
        "your organisation could help.",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter a message for the project's owners.",
            "max_length": f"The message must be {MESSAGE_MAX_LENGTH} characters or fewer.",
        },
    )


class ContributionDecisionForm(forms.Form):
    """Approve or decline a request to contribute: the buttons send approve=yes or approve=no."""

    approve = forms.TypedChoiceField(
        choices=[("yes", "Approve"), ("no", "Decline")],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": "Choose whether to approve or decline the request.",
            "invalid_choice": "Choose whether to approve or decline the request.",
        },
    )


class SubscriptionForm(forms.Form):
    """Follow one theme, or one tag."""

    theme = forms.ChoiceField(
        label="Follow a theme",
        required=False,
        error_messages={"invalid_choice": "Choose a theme from the list."},
    )
    tag = forms.CharField(
        label="Or follow a tag",
        help_text="A keyword projects are tagged with, for example: chatbot",
        required=False,
        max_length=TAG_MAX_LENGTH,
        error_messages={"max_length": f"A tag is {TAG_MAX_LENGTH} characters or fewer."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a theme"),
            *((t.slug, t.name) for t in Theme.objects.all()),
        ]
