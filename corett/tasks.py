"""Celery tasks of the accounts: thin entry points to their services."""

import smtplib

from celery import shared_task

from .account_forms import send_password_reset_links


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True, max_retries=3)
def send_password_reset(email: str, language: str) -> None:
    send_password_reset_links(email=email, language=language)
