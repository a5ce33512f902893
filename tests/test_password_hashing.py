"""Passwords are hashed with Argon2id in production; a PBKDF2 hash from before is rehashed to
Argon2id when its owner signs in. The tests' own settings keep a fast hasher: the production order
is tested here with those settings swapped in."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.urls import reverse

from corett import settings as production
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_production_hashes_with_argon2id_and_still_reads_pbkdf2():
    hashers = production.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]


def test_a_pbkdf2_password_is_rehashed_to_argon2id_at_the_next_sign_in(client, observer, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    observer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    observer.save(update_fields=["password"])

    response = client.post(
        reverse("accounts:login"), {"username": observer.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    observer.refresh_from_db()
    assert identify_hasher(observer.password).algorithm == "argon2"
    assert observer.password.startswith("argon2$argon2id$")
    assert observer.check_password(PASSWORD)


def test_a_wrong_password_leaves_the_old_hash_alone(client, observer, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    observer.password = old
    observer.save(update_fields=["password"])

    response = client.post(
        reverse("accounts:login"), {"username": observer.username, "password": "not-it-at-all"}
    )

    assert response.status_code == 200
    observer.refresh_from_db()
    assert observer.password == old
