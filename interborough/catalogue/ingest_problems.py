"""The two ways an upload can be wrong: a whole-file problem (IngestError, nothing can be done
with the file) or row-level problems (Problem), reported with the row and column a person sees
when they open the file in a spreadsheet."""

from dataclasses import dataclass, field

# A report longer than this helps nobody; the total is still counted.
MAX_PROBLEMS = 1000


class IngestError(Exception):
    """A whole-file problem a person can act on (wrong type, too big, unreadable...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One problem in the data. row is 1-based as in a spreadsheet (the header is row 1);
    row 0 is a file-level problem. column is "" when the whole row is at fault."""

    row: int
    column: str
    message: str


@dataclass
class ProblemLog:
    """Keeps the first MAX_PROBLEMS problems and counts them all."""

    problems: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row=row, column=column, message=message))
