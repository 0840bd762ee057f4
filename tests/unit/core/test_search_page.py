"""in_order: a results page's rows in the index's order, scoped by the queryset given."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interborough.accounts.models import Organisation
from interborough.core.search_page import in_order
from tests.factories.accounts import OrganisationFactory


@pytest.mark.django_db
def test_in_order_keeps_the_ids_order_and_drops_what_the_queryset_lacks():
    a, b, c = OrganisationFactory.create_batch(3)
    scoped = Organisation.objects.exclude(pk=b.pk)

    rows = in_order(scoped, [c.pk, b.pk, a.pk, 999_999])

    assert rows == [c, a]


@pytest.mark.django_db
def test_in_order_without_ids_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        rows = in_order(Organisation.objects.all(), [])

    assert rows == [] and len(queries) == 0
