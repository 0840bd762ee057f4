from django.urls import path

from interborough.accounts.views import (
    invitations,
    members,
    organisations,
    passwords,
    profile,
    sign_in,
    two_factor,
)

app_name = "accounts"

urlpatterns = [
    path(
        "organisations/boroughs.geojson",
        organisations.borough_boundaries,
        name="borough-boundaries",
    ),
    path("account/sign-in/", sign_in.SignInView.as_view(), name="sign-in"),
    path("account/sign-out/", sign_in.SignOutView.as_view(), name="sign-out"),
    path("account/two-factor/", two_factor.two_factor_verify, name="two-factor"),
    path("account/two-factor/setup/", two_factor.two_factor_setup, name="two-factor-setup"),
    path(
        "account/password-reset/",
        passwords.PasswordResetRequestView.as_view(),
        name="password-reset",
    ),
    path(
        "account/password-reset/sent/",
        passwords.PasswordResetSentView.as_view(),
        name="password-reset-done",
    ),
    path(
        "account/password-reset/complete/",
        passwords.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        passwords.PasswordResetSetView.as_view(),
        name="password-reset-confirm",
    ),
    path("account/password/", passwords.PasswordChangeView.as_view(), name="password-change"),
    path("account/", profile.profile, name="profile"),
    path("account/tokens/", profile.token_list, name="token-list"),
    path("account/tokens/<int:pk>/revoke/", profile.token_revoke, name="token-revoke"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    # Before organisations/<slug>/, which would otherwise take "new" for a slug.
    path(
        "organisations/new/",
        organisations.organisation_create,
        name="organisation-create",
    ),
    path(
        "organisations/<slug:slug>/",
        organisations.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/edit/",
        organisations.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "organisations/<slug:slug>/active/",
        organisations.organisation_active,
        name="organisation-active",
    ),
    path("organisations/<slug:slug>/members/", members.member_list, name="member-list"),
    path(
        "organisations/<slug:slug>/members/invite/",
        members.member_invite,
        name="member-invite",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/",
        members.member_edit,
        name="member-edit",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/two-factor-reset/",
        members.member_two_factor_reset,
        name="member-two-factor-reset",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/revoke/",
        members.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:secret>/", invitations.invitation_accept, name="invitation-accept"),
]
