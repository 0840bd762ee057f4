"""The drafting forms: starting an agreement (start.py), and one editor per document section
(sections.py, parties.py, data.py, processing.py, safeguards.py), each a forms/base.py
SectionEditor."""

from interborough.sharing.forms.base import Choices, ErrorLink, SectionEditor
from interborough.sharing.forms.data import DataEditor, DatasetFieldsEditor
from interborough.sharing.forms.parties import PartiesEditor
from interborough.sharing.forms.processing import ProcessingEditor
from interborough.sharing.forms.safeguards import (
    EthicsEditor,
    ExitEditor,
    RegisterEditor,
    RightsEditor,
    SecurityEditor,
)
from interborough.sharing.forms.sections import (
    AboutEditor,
    DpiaEditor,
    LegalBasisEditor,
    PurposeEditor,
)
from interborough.sharing.forms.start import ImportForm, NewAgreementForm

# Section slug (document.SECTIONS) -> the editor of its page.
EDITORS: dict[str, type[SectionEditor]] = {
    "about": AboutEditor,
    "parties": PartiesEditor,
    "purpose": PurposeEditor,
    "legal-basis": LegalBasisEditor,
    "dpia": DpiaEditor,
    "data": DataEditor,
    "processing": ProcessingEditor,
    "security": SecurityEditor,
    "rights": RightsEditor,
    "exit": ExitEditor,
    "register": RegisterEditor,
    "ethics": EthicsEditor,
}

__all__ = [
    "EDITORS",
    "Choices",
    "DatasetFieldsEditor",
    "ErrorLink",
    "ImportForm",
    "NewAgreementForm",
    "SectionEditor",
]
