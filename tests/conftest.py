import pytest
from django.db import transaction
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts.services import organisations_load_reference
from interborough.catalogue.selectors.search_cache import dataset_index_clear
from interborough.core import demo
from interborough.pipeline.selectors.search_cache import search_index_clear
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use MD5."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploads and converted data go to a folder of the test's own, never the repository."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fresh_search_index():
    """The search indexes live per process; each test starts from its own data."""
    search_index_clear()
    dataset_index_clear()
    yield
    search_index_clear()
    dataset_index_clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="London Borough of Camden", slug="camden", gss_code="E09000007")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(
        name="London Borough of Hackney", slug="hackney", gss_code="E09000012"
    )


@pytest.fixture
def member(organisation):
    return MembershipFactory(organisation=organisation, role="member").user


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(organisation=organisation, role="org_admin").user


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def verified_client(user) -> Client:
    """A client signed in as `user`, with a confirmed TOTP device verified for the session."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for():
    """Factory: a signed-in (and two-factor verified) client for a user."""
    return verified_client


@pytest.fixture(scope="class")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo load shared by the read-only tests in a class, rolled back after the class."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            organisations_load_reference(by=None)
            yield demo.demo_load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def quiet_report(loaded_demo, db):
    return loaded_demo
