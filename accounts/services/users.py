"""Accounts: sign-up, e-mail verification and preferences."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import ValidationFailed
from accounts.models import User
from accounts.services.audit import audit_record
from accounts.services.notifications import notify

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token, but invalidated by verifying or changing the address."""

    key_salt = "beian.accounts.email-verification"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def user_signup(*, username: str, email: str, password: str, language: str = "zh-hans") -> User:
    """Create a provider account (no role yet: it becomes an administrator by creating an organisation)."""
    username = (username or "").strip()
    email = (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = [_("Use 3 to 150 letters, digits or the characters . @ + - _.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    try:
        EmailValidator(message=_("Enter a valid e-mail address."))(email)
    except ValidationError as exc:
        errors["email"] = list(exc.messages)
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("An account with this e-mail address already exists.")]
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(errors)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password, language=language)
            audit_record(action="user.signed_up", subject_type="user", subject_id=user.pk, actor=user)
            user_send_verification(user=user)
    except IntegrityError:
        # Two sign-ups with the same name or address at once: the database constraint decides.
        raise ValidationFailed({"username": [_("This username or e-mail address is taken.")]}) from None
    return user


def user_send_verification(*, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    notify(
        recipients=[user],
        subject=gettext_lazy("Confirm your e-mail address"),
        body=gettext_lazy("Open this link to confirm that %(email)s is your address:"),
        params={"email": user.email},
        link=reverse("accounts:verify_email", args=[uid, token]),
    )


def user_verify_email(*, user: User, token: str) -> bool:
    if user.email_verified_at is not None:
        return True
    if not email_verification_token.check_token(user, token):
        return False
    with transaction.atomic():
        User.objects.filter(id=user.pk).update(email_verified_at=timezone.now())
        audit_record(action="user.email_verified", subject_type="user", subject_id=user.pk, actor=user)
    return True


def user_set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        User.objects.filter(id=user.pk).update(language=language)
        user.language = language
