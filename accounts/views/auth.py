"""Sign-up, sign-in, e-mail verification and the language switch (Django's auth views underneath)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ValidationFailed
from accounts.forms import LanguageForm, LoginForm, SignupForm
from accounts.middleware import SESSION_KEY
from accounts.services.users import user_send_verification, user_set_language, user_signup, user_verify_email


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


def signup_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(**form.cleaned_data, language=request.LANGUAGE_CODE)
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome! We sent a link to %(email)s to confirm your address.") % {"email": user.email}
            )
            return redirect("home")
    status = 400 if form.is_bound else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


def verify_email_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, user_model.DoesNotExist):
        user = None
    ok = user is not None and user_verify_email(user=user, token=token)
    return render(request, "registration/verify_email.html", {"ok": ok}, status=200 if ok else 400)


@login_required
@require_POST
def resend_verification_view(request: HttpRequest) -> HttpResponse:
    if not request.user.email_verified:  # type: ignore[union-attr]
        user_send_verification(user=request.user)  # type: ignore[arg-type]
        messages.info(request, _("We sent a new confirmation link."))
    return redirect("home")


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Remember the choice in a cookie, and in the profile so e-mails use it too."""
    form = LanguageForm(request.POST)
    language = form.data.get("language", "")
    target = form.data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
            request.session[SESSION_KEY] = language
    return response
