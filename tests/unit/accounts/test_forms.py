"""Accounts forms: bounds and normalisation that the pages rely on."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from interborough.accounts.forms import (
    ApiTokenCreateForm,
    InvitationAccountForm,
    OrganisationEditForm,
    TwoFactorCodeForm,
    add_service_error,
)
from interborough.core.errors import ApplicationError
from tests.factories.accounts import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class _NameForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("error", "field", "message"),
    [
        (ApplicationError("Bad name.", field="name"), "name", "Bad name."),
        (ApplicationError("Not a field.", field="elsewhere"), "__all__", "Not a field."),
        (ApplicationError("General."), "__all__", "General."),
        (ValidationError({"name": ["Too odd."]}), "name", "Too odd."),
        (ValidationError({"other": ["Hidden field."]}), "__all__", "Hidden field."),
        (ValidationError("Plain."), "__all__", "Plain."),
    ],
)
def test_add_service_error_puts_the_message_where_the_person_sees_it(error, field, message):
    form = _NameForm({"name": "x"})
    assert form.is_valid()
    add_service_error(form, error)
    assert form.errors[field] == [message]


@pytest.mark.parametrize(("raw", "clean"), [("123456", "123456"), (" 123 456 ", "123456")])
def test_two_factor_code_form_accepts_six_digits(raw, clean):
    form = TwoFactorCodeForm({"code": raw})
    assert form.is_valid() and form.cleaned_data["code"] == clean


@pytest.mark.parametrize("raw", ["12345", "1234567", "12a456", "١٢٣٤٥٦", ""])
def test_two_factor_code_form_rejects_anything_else(raw):
    assert not TwoFactorCodeForm({"code": raw}).is_valid()


def test_api_token_form_offers_only_the_persons_organisations(organisation, other_organisation):
    user = MembershipFactory(organisation=organisation).user
    form = ApiTokenCreateForm(
        {"name": "x", "scope": "read", "expires_in": "30", "organisation": other_organisation.pk},
        user=user,
    )
    assert not form.is_valid() and "organisation" in form.errors
    assert list(form.fields["organisation"].queryset) == [organisation]


def test_api_token_form_coerces_the_lifetime_to_days():
    form = ApiTokenCreateForm(
        {"name": "x", "scope": "read", "expires_in": "365"}, user=UserFactory()
    )
    assert form.is_valid() and form.cleaned_data["expires_in"] == 365


def test_organisation_edit_form_upper_cases_the_ico_number():
    form = OrganisationEditForm({"description": "", "website": "", "ico_registration": "za123456"})
    assert form.is_valid() and form.cleaned_data["ico_registration"] == "ZA123456"


def test_invitation_account_form_checks_passwords_against_the_invited_email():
    form = InvitationAccountForm(
        {"full_name": "Jo", "password1": "joiner@camden", "password2": "joiner@camden"},
        email="joiner@camden.gov.uk",
    )
    assert not form.is_valid()
    assert "too similar to the email" in form.errors["password1"][0]
