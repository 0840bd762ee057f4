"""The pipeline's pages; `viewer_of` is the one way its views name the person asking."""

from interborough.accounts.viewer import viewer_of

__all__ = ["viewer_of"]
