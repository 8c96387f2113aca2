from django.urls import path

from filings.views import obligations, pages, wizard

app_name = "filings"

urlpatterns = [
    path("filings/", pages.filing_list_view, name="list"),
    path("filings/new/", wizard.filing_new_view, name="new"),
    path("filings/<int:filing_id>/", pages.filing_detail_view, name="detail"),
    path("filings/<int:filing_id>/edit/<str:step>/", wizard.filing_step_view, name="step"),
    path("filings/<int:filing_id>/autosave/<str:step>/", wizard.filing_autosave_view, name="autosave"),
    path("filings/<int:filing_id>/documents/", wizard.filing_documents_view, name="documents"),
    path("filings/<int:filing_id>/preview/", wizard.filing_preview_view, name="preview"),
    path("filings/<int:filing_id>/submit/", wizard.filing_submit_view, name="submit"),
    path("filings/<int:filing_id>/withdraw/", pages.filing_withdraw_view, name="withdraw"),
    path("filings/<int:filing_id>/change/", pages.filing_change_view, name="change"),
    path("filings/<int:filing_id>/cancel/", pages.filing_cancel_view, name="cancel"),
    path("filings/<int:filing_id>/reassessment/", obligations.filing_reassessment_view, name="reassessment"),
    path("filings/<int:filing_id>/service-end/", obligations.filing_service_end_view, name="service_end"),
    path("filings/<int:filing_id>/diff/", pages.filing_diff_view, name="diff"),
    path("filings/<int:filing_id>/documents/<int:attachment_id>/", pages.filing_document_view, name="document"),
]
