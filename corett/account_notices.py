"""What the account pages tell a person after something happened to an account (its API tokens
revoked, an invitation sent or not), and the invitation e-mail itself."""

import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def send_invitation(request, user) -> bool:
    """E-mail the person a link to set their own password (Django's password-reset token, valid
    for settings.PASSWORD_RESET_TIMEOUT), in Spanish then English. False if it could not be sent."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    subjects, bodies = [], []
    for code in ("es", "en"):
        with translation.override(code):
            path = reverse("accounts:password_reset_confirm", args=[uid, token])
            context = {"user": user, "link": request.build_absolute_uri(path), "days": days}
            subjects.append(_("Your account on the CORETT portal"))
            bodies.append(render_to_string("accounts/invitation_email.txt", context).strip())
    subject = " / ".join(dict.fromkeys(subjects))  # once, while a translation is missing
    try:
        send_mail(subject, "\n\n---\n\n".join(bodies) + "\n", None, [user.email])
    except (smtplib.SMTPException, OSError):
        return False
    return True


def invitation_outcome(request, user, sent):
    if sent:
        messages.success(
            request,
            _("An invitation to set a password was sent to %(email)s.") % {"email": user.email},
        )
    else:
        messages.error(
            request,
            _("The invitation could not be sent to %(email)s. Try again later.")
            % {"email": user.email},
        )


def tokens_revoked(request, count):
    if count:
        messages.info(
            request,
            ngettext(
                "%(count)d API token of the account was revoked: sign in to the API again.",
                "%(count)d API tokens of the account were revoked: sign in to the API again.",
                count,
            )
            % {"count": count},
        )
