from django.urls import path

from filings.views import public

app_name = "public"

urlpatterns = [
    path("registry/", public.registry_view, name="registry"),
    path("registry/<str:number>/", public.public_filing_view, name="filing"),
    path("verify/", public.verify_view, name="verify"),
    path("verify/<str:number>/", public.verify_view, name="verify_number"),
    path("verify/<str:number>/qr.svg", public.verify_qr_view, name="verify_qr"),
]
