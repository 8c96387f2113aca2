from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("organizations/", views.OrganizationListApi.as_view(), name="api-organizations"),
    path("organizations/<int:organization_id>/", views.OrganizationDetailApi.as_view(), name="api-organization"),
    path(
        "organizations/<int:organization_id>/attachments/",
        views.OrganizationAttachmentApi.as_view(),
        name="api-organization-attachments",
    ),
    path(
        "organizations/<int:organization_id>/submit/",
        views.OrganizationSubmitApi.as_view(),
        name="api-organization-submit",
    ),
    path(
        "organizations/<int:organization_id>/changes/",
        views.OrganizationChangeApi.as_view(),
        name="api-organization-changes",
    ),
]
