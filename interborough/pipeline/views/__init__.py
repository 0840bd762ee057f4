"""The pipeline's pages; `viewer_of` is the one way its views name the person asking."""

from django.http import HttpRequest

from interborough.accounts.models import User


def viewer_of(request: HttpRequest) -> User:
    """The person making the request (an anonymous visitor too)."""
    return request.user  # type: ignore[return-value]
