"""Forms for the accounts pages. Each bounds its input; services enforce the business rules."""

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from interborough.accounts import services
from interborough.accounts.models import Organisation, OrganisationType, Role, TokenScope, User
from interborough.core.errors import ApplicationError

# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
PASSWORD_MAX_LENGTH = 1024
TOKEN_LIFETIME_CHOICES = [
    ("30", "30 days"),
    ("90", "90 days"),
    ("180", "180 days"),
    ("365", "1 year"),
]


def add_service_error(form: forms.Form, error: ApplicationError | ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else above it."""
    if isinstance(error, ApplicationError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return
    form.add_error(None, error.messages)


STRENGTH_HINT = "At least 12 characters. Not a common password, and not like your name or email."


def _password_field(
    label: str, autocomplete: str = "new-password", help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = _password_field("Password", autocomplete="current-password")

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password.",
    }


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app, for example 123456.",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError("Enter the 6-digit code from your authenticator app.")
        return code


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetSetForm(SetPasswordForm):
    """Choose a new password from a reset link; the change is audited."""

    new_password1 = _password_field("New password", help_text=STRENGTH_HINT)
    new_password2 = _password_field("Confirm new password")

    def save(self, commit: bool = True) -> User:
        return services.user_set_password(
            by=None, user=self.user, password=self.cleaned_data["new_password1"], reason="reset"
        )


class PasswordChangeAuditedForm(PasswordChangeForm):
    """Change one's own password; the change is audited."""

    old_password = _password_field("Current password", autocomplete="current-password")
    new_password1 = _password_field("New password", help_text=STRENGTH_HINT)
    new_password2 = _password_field("Confirm new password")

    def save(self, commit: bool = True) -> User:
        return services.user_set_password(
            by=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            reason="change",
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name."},
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="So you can recognise it later, for example “Power BI refresh”.",
        max_length=100,
        error_messages={"required": "Enter a name for the token."},
    )
    scope = forms.ChoiceField(
        label="What can it do?",
        choices=TokenScope.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose read only or read and write.",
            "invalid_choice": "Choose read only or read and write.",
        },
    )
    expires_in = forms.TypedChoiceField(
        label="How long should it last?",
        choices=TOKEN_LIFETIME_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long the token should last.",
            "invalid_choice": "Choose how long the token should last.",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Act for an organisation (optional)",
        help_text="Only your own organisations are listed.",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="No organisation",
        error_messages={"invalid_choice": "Choose one of your own organisations."},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for mypy)
        field.queryset = Organisation.objects.filter(
            memberships__user=user, is_active=True
        ).order_by("name")


def _website_field() -> forms.URLField:
    return forms.URLField(
        label="Website (optional)",
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://www.example.org",
            "max_length": "The website address must be 200 characters or fewer.",
        },
    )


def _description_field() -> forms.CharField:
    return forms.CharField(
        label="Description (optional)",
        help_text="What the organisation does, in a few sentences.",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        error_messages={"max_length": "The description must be 2000 characters or fewer."},
    )


class OrganisationEditForm(forms.Form):
    description = _description_field()
    website = _website_field()
    ico_registration = forms.CharField(
        label="ICO registration number (optional)",
        help_text="From the Information Commissioner's register, for example Z1234567.",
        max_length=20,
        required=False,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]+$",
                "An ICO registration number has only letters and numbers, like Z1234567.",
            )
        ],
    )

    def clean_ico_registration(self) -> str:
        return self.cleaned_data["ico_registration"].upper()


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the email address of the person to invite.",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose a valid role."},
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose a valid role."},
    )


class InvitationAccountForm(forms.Form):
    """Create the account an invitation names: the email comes from the invitation."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name."},
    )
    password1 = _password_field("Create a password", help_text=STRENGTH_HINT)
    password2 = _password_field("Confirm your password")

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class OrganisationCreateForm(forms.Form):
    """Platform staff add an organisation; the service checks names, codes and invitations."""

    name = forms.CharField(
        label="Name",
        help_text="The organisation's full name, for example “Riverside Digital Co-operative”.",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name.",
            "max_length": "The name must be 200 characters or fewer.",
        },
    )
    type = forms.ChoiceField(
        label="Type of organisation",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of organisation.",
            "invalid_choice": "Choose the type of organisation.",
        },
    )
    short_name = forms.CharField(
        label="Short name (optional)",
        help_text="A familiar short form, for example an acronym.",
        max_length=60,
        required=False,
        error_messages={"max_length": "The short name must be 60 characters or fewer."},
    )
    gss_code = forms.CharField(
        label="ONS GSS code (local authorities only)",
        help_text=(
            "For a unitary authority outside London, for example E06000039. London's 33 "
            "local authorities are already loaded from the ONS reference data."
        ),
        max_length=9,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "A GSS code is 9 characters, like E06000039."},
    )
    website = _website_field()
    description = _description_field()
    first_admin_email = forms.EmailField(
        label="First admin's email address (optional)",
        help_text="We will invite them to be the organisation's admin. They can invite others.",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "The email address must be 254 characters or fewer.",
        },
    )


class OrganisationActiveForm(forms.Form):
    """Deactivate or reactivate: the wanted state is sent, so a repeated POST cannot flip back."""

    active = forms.TypedChoiceField(
        choices=[("false", "Deactivate"), ("true", "Reactivate")],
        coerce=lambda value: value == "true",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose whether to deactivate or reactivate.",
            "invalid_choice": "Choose whether to deactivate or reactivate.",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The field is hidden, so its error is shown above the form rather than beside it.
        if "active" in self.errors:
            self.add_error(None, self.errors.pop("active"))
        return cleaned
