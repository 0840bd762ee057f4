import pytest

from tests.factories.accounts import MembershipFactory


@pytest.fixture
def publisher(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def other_publisher(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="publisher").user
