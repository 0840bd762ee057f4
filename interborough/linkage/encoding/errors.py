"""The one error type the encoder raises for bad input, carrying a short reason code.

The code (e.g. ``dob_impossible``) is what the encoding report groups rejected rows by; the
message is written for the analyst who has to fix the source file.
"""


class EncoderInputError(ValueError):
    """A value, key or mapping the encoder cannot use, with a machine-readable reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
