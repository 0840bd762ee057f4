"""Form pieces every module's pages share."""

from django import forms

# Dates as people write them in the UK; the first is what the form shows back.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"]
DATE_HINT = "For example, 27/03/2026"


class DateTextInput(forms.DateInput):
    input_type = "text"

    def __init__(self) -> None:
        super().__init__(format=DATE_FORMATS[0], attrs={"spellcheck": "false"})
