from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.views import auth, members, notifications, organization

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", auth.signup_view, name="signup"),
    path("accounts/verify/<str:uidb64>/<str:token>/", auth.verify_email_view, name="verify_email"),
    path("accounts/verify/resend/", auth.resend_verification_view, name="resend_verification"),
    path("accounts/language/", auth.set_language_view, name="set_language"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(success_url=reverse_lazy("accounts:password_reset_done")),
        name="password_reset",
    ),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/invitations/<str:token>/", members.invitation_view, name="invitation"),
    path("notifications/", notifications.notifications_view, name="notifications"),
    path("notifications/read/", notifications.notifications_read_view, name="notifications_read"),
    path("organization/", organization.organization_home_view, name="organization"),
    path("organization/new/", organization.organization_create_view, name="organization_create"),
    path("organization/edit/", organization.organization_edit_view, name="organization_edit"),
    path("organization/documents/", organization.organization_attachment_view, name="organization_attachment"),
    path("organization/submit/", organization.organization_submit_view, name="organization_submit"),
    path("organization/members/", members.members_view, name="members"),
    path("organization/members/remove/", members.member_remove_view, name="member_remove"),
    path("organization/members/hand-over/", members.admin_hand_over_view, name="admin_hand_over"),
    path("organization/invitations/revoke/", members.invitation_revoke_view, name="invitation_revoke"),
    path("organization/changes/new/", members.change_create_view, name="change_create"),
    path("organization/changes/<int:change_id>/withdraw/", members.change_withdraw_view, name="change_withdraw"),
    path("organizations/<int:organization_id>/", organization.organization_detail_view, name="organization_detail"),
    path(
        "organizations/<int:organization_id>/attachments/<int:attachment_id>/",
        organization.attachment_download_view,
        name="attachment_download",
    ),
]
