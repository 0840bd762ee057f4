import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interborough.config.settings")
application = get_wsgi_application()

# Import every view, and what they use (scikit-learn for project search), now: with gunicorn's
# preload_app the workers are forked with it loaded instead of each paying on its first request.
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
