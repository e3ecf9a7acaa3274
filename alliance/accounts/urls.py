from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from alliance.accounts import views, views_2fa
from alliance.accounts.forms import LocalizedPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("2fa/setup/", views_2fa.otp_setup, name="otp_setup"),
    path("2fa/verify/", views_2fa.otp_verify, name="otp_verify"),
    path("password/", views.password_change, name="password_change"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            form_class=LocalizedPasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
