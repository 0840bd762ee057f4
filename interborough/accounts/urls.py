from django.urls import path

from interborough.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("account/sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
]
