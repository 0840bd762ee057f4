import pytest

from tests.factories.accounts import MembershipFactory


@pytest.fixture
def publisher(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user
