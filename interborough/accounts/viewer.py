"""`viewer_of`: the one way views name the person asking."""

from django.http import HttpRequest

from interborough.accounts.models import User


def viewer_of(request: HttpRequest) -> User:
    """The person making the request (an anonymous visitor too)."""
    return request.user  # type: ignore[return-value]
