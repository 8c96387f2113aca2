from django.urls import path

from filings import apis, obligation_apis, public_apis

urlpatterns = [
    path("public/filings/", public_apis.PublicFilingsApi.as_view(), name="api-public-filings"),
    path("public/verify/<str:number>/", public_apis.PublicVerifyApi.as_view(), name="api-public-verify"),
    path("filings/", apis.FilingListApi.as_view(), name="api-filings"),
    path("filings/<int:filing_id>/", apis.FilingDetailApi.as_view(), name="api-filing"),
    path("filings/<int:filing_id>/attachments/", apis.FilingAttachmentApi.as_view(), name="api-filing-attachments"),
    path("filings/<int:filing_id>/submit/", apis.FilingSubmitApi.as_view(), name="api-filing-submit"),
    path("filings/<int:filing_id>/withdraw/", apis.FilingWithdrawApi.as_view(), name="api-filing-withdraw"),
    path("filings/<int:filing_id>/changes/", apis.FilingChangeApi.as_view(), name="api-filing-changes"),
    path("filings/<int:filing_id>/cancel/", apis.FilingCancelApi.as_view(), name="api-filing-cancel"),
    path(
        "filings/<int:filing_id>/service-end/",
        obligation_apis.FilingServiceEndApi.as_view(),
        name="api-filing-service-end",
    ),
    path(
        "filings/<int:filing_id>/reassessments/",
        obligation_apis.FilingReassessmentsApi.as_view(),
        name="api-filing-reassessments",
    ),
    path(
        "filings/<int:filing_id>/reassessments/<int:reassessment_id>/submit/",
        obligation_apis.ReassessmentSubmitApi.as_view(),
        name="api-reassessment-submit",
    ),
    path("filings/<int:filing_id>/versions/", apis.FilingVersionsApi.as_view(), name="api-filing-versions"),
    path("filings/<int:filing_id>/diff/", apis.FilingDiffApi.as_view(), name="api-filing-diff"),
]
