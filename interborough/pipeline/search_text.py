"""How the project index analyses text (ADR 0005): the shared analysis in core/search_text.py
with the pipeline's stop words.

`words`, `analyse` and `tokens` are the project index's; `Vocabulary` is the shared
`TfidfVocabulary` bound to them. `search_records.py` builds each project's `Document`;
`search_index.py` uses both.
"""

from typing import ClassVar

from interborough.core.search_text import (
    ENGLISH,
    Document,
    TextAnalysis,
    TfidfVocabulary,
    tokens,
)

# Words every council project uses: they say nothing about what a project is about.
DOMAIN_STOP_WORDS = frozenset(
    {"borough", "council", "london", "local", "project", "need", "use", "using", "new", "work"}
)
STOP_WORDS = ENGLISH | DOMAIN_STOP_WORDS
ANALYSIS = TextAnalysis(stop_words=STOP_WORDS)
words = ANALYSIS.words
analyse = ANALYSIS.analyse

__all__ = ["ANALYSIS", "Document", "Vocabulary", "analyse", "tokens", "words"]


class Vocabulary(TfidfVocabulary):
    """The project index's fitted terms and IDF (see TfidfVocabulary)."""

    analysis: ClassVar[TextAnalysis] = ANALYSIS
