"""The form for adding a harvest source; the rules are in services/harvest.py."""

from django import forms

from interborough.accounts.models import Organisation
from interborough.catalogue.models import HarvestKind
from interborough.catalogue.services.harvest import HarvestSourceInput


class HarvestSourceForm(forms.Form):
    """A remote catalogue to harvest; `organisations` lists those the person may add it to."""

    organisation = forms.ChoiceField(label="Organisation", choices=())
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, London Datastore.",
        error_messages={"required": "Enter a name for the source."},
    )
    kind = forms.ChoiceField(
        label="What kind of catalogue is it?",
        choices=HarvestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is a CKAN site or a DCAT catalogue."},
    )
    url = forms.CharField(
        label="Web address",
        max_length=500,
        help_text="A CKAN site's address, or the address of the DCAT catalogue file.",
        error_messages={"required": "Enter the source's web address."},
    )
    every_hours = forms.IntegerField(
        label="Harvest every (hours)",
        min_value=1,
        max_value=720,
        initial=24,
        error_messages={
            "required": "Enter how often to harvest it, in hours.",
            "invalid": "Enter how often to harvest it as a whole number of hours.",
            "min_value": "Harvest it every 1 to 720 hours.",
            "max_value": "Harvest it every 1 to 720 hours.",
        },
    )

    def __init__(self, *args: object, organisations: list[Organisation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(o.slug, o.name) for o in organisations]
        if len(organisations) == 1:
            del self.fields["organisation"]

    def source_input(self) -> HarvestSourceInput:
        data = self.cleaned_data
        return HarvestSourceInput(
            name=data["name"], kind=data["kind"], url=data["url"], every_hours=data["every_hours"]
        )
