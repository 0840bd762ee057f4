import time

import pytest
from django.test import Client
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import UserFactory

LONG = "x" * 10_000


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding the device's key shows (now, or a step later)."""
    if steps_ahead == 0:
        value = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
    else:
        generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        generator.time = time.time() + steps_ahead * device.step
        value = generator.token()
    return f"{value:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A well-formed code that no nearby time step produces."""
    valid = {code_for(device, steps) for steps in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture
def signed_in_client():
    """A client signed in with a password only (no two-factor step yet)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def person(db):
    """Someone with no memberships and no authenticator app."""
    return UserFactory(email="pat@example.london", full_name="Pat Example")
