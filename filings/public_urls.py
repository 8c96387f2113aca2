from django.urls import path

from filings.views import public

app_name = "public"

urlpatterns = [
    path("registry/", public.registry_view, name="registry"),
    path("registry/batches/", public.announcements_view, name="announcements"),
    path("registry/batches/feed.atom", public.AnnouncementsFeed(), name="feed"),
    path("registry/batches/<int:batch_id>/", public.batch_view, name="batch"),
    path("registry/batches/<int:batch_id>/<str:fmt>/", public.batch_view, name="batch_export"),
    path("registry/notices/<int:notice_id>/", public.notice_view, name="notice"),
    path("registry/notices/<int:notice_id>/<str:fmt>/", public.notice_view, name="notice_export"),
    path("registry/<str:number>/", public.public_filing_view, name="filing"),
    path("registry/<str:number>/objection/", public.objection_view, name="objection"),
    path("verify/", public.verify_view, name="verify"),
    path("verify/<str:number>/", public.verify_view, name="verify_number"),
    # As printed under apps and on QR codes elsewhere: without the trailing slash, answered directly.
    path("verify/<str:number>", public.verify_view),
    path("verify/<str:number>/qr.svg", public.verify_qr_view, name="verify_qr"),
]
