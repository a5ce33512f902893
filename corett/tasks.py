"""Celery tasks of the accounts: thin entry points to their services."""

import smtplib

from celery import shared_task

from .account_forms import send_password_reset_links

# One quick retry to publish, then the caller sends the e-mail itself: someone waits for the answer.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True, max_retries=3)
def send_password_reset(email: str, language: str) -> None:
    send_password_reset_links(email=email, language=language)
