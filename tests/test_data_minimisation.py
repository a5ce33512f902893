"""No model of the portal has a place for a victim's or an observed person's personal data.

The portal holds aggregate figures and institutions only. This walks every model of every project
app (any app whose code lives in this repository: corett, strategy, monitoring, referrals, and any
app added later), history models included, and refuses field names that could hold a person's
identity or traits. The few fields that legitimately hold personal data of *portal users* or of
*institutional contacts* are allowed one by one, each with its reason; a new one must be added
here, deliberately, with its own reason.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Field-name words that could only hold data about a person (a victim, a person observed).
DENIED_WORDS = {
    "victim", "victims", "survivor", "survivors", "trafficked", "observed", "suspect",
    "suspects", "perpetrator", "trafficker", "person", "persons", "people", "patient",
    "birth", "birthdate", "birthday", "dob", "age", "nationality", "citizenship",
    "passport", "dni", "curp", "cedula", "ssn",
    "gender", "sex", "ethnicity", "ethnic", "race", "religion", "orientation",
    "firstname", "lastname", "surname", "surnames", "forename", "nickname", "alias",
    "phone", "telephone", "mobile", "cellphone", "email", "address", "residence", "domicile",
    "photo", "picture", "fingerprint", "biometric", "biometrics", "face",
    "diagnosis", "medical", "disability", "pregnancy",
    "gps", "latitude", "longitude", "geolocation",
}  # fmt: skip
# Phrases spanning several words.
DENIED_PHRASES = [
    ("first", "name"), ("last", "name"), ("full", "name"), ("given", "name"),
    ("maiden", "name"), ("family", "name"), ("date", "of", "birth"), ("place", "of", "birth"),
    ("id", "number"), ("national", "id"), ("identity", "document"), ("document", "number"),
    ("id", "card"),
]  # fmt: skip
# Model names that would be about persons.
DENIED_MODEL_WORDS = {"victim", "survivor", "suspect", "case", "casefile", "observed", "person"}

# (model label, field name): why this field may hold personal data.
ALLOWED = {
    ("corett.User", "first_name"): "a portal user's own name",
    ("corett.User", "last_name"): "a portal user's own name",
    ("corett.User", "email"): "a portal user's own e-mail, for sign-in and notices",
    ("referrals.Actor", "address"): "an institution's address, not a person's",
    ("referrals.Actor", "phone"): "an institution's phone",
    ("referrals.Actor", "email"): "an institution's e-mail",
    ("referrals.ContactPerson", "name"): "an official's name as an institutional contact",
    ("referrals.ContactPerson", "phone"): "an official's work phone",
    ("referrals.ContactPerson", "email"): "an official's work e-mail",
}
# Models named after persons that hold institutional contacts, not victims or persons observed.
ALLOWED_MODELS = {
    "referrals.ContactPerson": "institutional contacts, shown to signed-in users only",
}

LANGUAGE_SUFFIXES = {code for code, _name in settings.LANGUAGES}


def words(name: str) -> list[str]:
    """A field or model name as lowercase words: victim_name, victimName, VictimName."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if p]
    if parts and parts[-1] in LANGUAGE_SUFFIXES:  # name_es, name_en: the same field
        parts = parts[:-1]
    return parts


def denied(name: str) -> bool:
    parts = words(name)
    if DENIED_WORDS & set(parts):
        return True
    return any(
        tuple(parts[i : i + len(phrase)]) == phrase
        for phrase in DENIED_PHRASES
        for i in range(len(parts))
    )


def project_models():
    """Every model of the apps whose code is in this repository (not the virtualenv)."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and ".venv" not in path.parts and "site-packages" not in path.parts:
            yield from config.get_models()


def instance_label(model) -> str:
    """A history model's fields are its instance model's: judged under the same label."""
    instance = getattr(model, "instance_type", None)
    return (instance or model)._meta.label


def offending_fields(fields) -> list[tuple[str, str]]:
    """The (model label, field name) pairs that could hold a person's data and are not
    allowed."""
    return sorted(
        (label, name) for label, name in fields if denied(name) and (label, name) not in ALLOWED
    )


def offending_models(labels) -> list[str]:
    return sorted(
        label
        for label in labels
        if label not in ALLOWED_MODELS and DENIED_MODEL_WORDS & set(words(label.split(".")[1]))
    )


def portal_fields():
    for model in project_models():
        for field in model._meta.get_fields():
            if field.concrete or field.many_to_many:
                yield instance_label(model), field.name


def test_the_project_apps_are_all_walked():
    labels = {model._meta.app_label for model in project_models()}
    assert {"corett", "strategy", "monitoring", "referrals"} <= labels


def test_no_model_has_a_field_for_a_persons_data():
    assert offending_fields(portal_fields()) == [], (
        "a field could hold a victim's or an observed person's data: remove it, or, if it is an "
        "institution's or a portal user's, add it to ALLOWED with the reason"
    )


def test_no_model_is_about_a_person():
    labels = {instance_label(model) for model in project_models()}
    assert offending_models(labels) == []


def test_every_allowance_still_names_a_real_field():
    fields = set(portal_fields())
    assert set(ALLOWED) <= fields, "remove allowances for fields that no longer exist"


@pytest.mark.parametrize(
    "name",
    [
        "victim_name",
        "victimName",
        "date_of_birth",
        "birth_date",
        "age",
        "age_years",
        "nationality",
        "nationality_es",
        "passport_number",
        "id_number",
        "national_id",
        "gender",
        "sex",
        "home_address",
        "phone_number",
        "first_name",
        "full_name",
        "observed_person",
        "survivor_contact",
    ],
)
def test_the_check_refuses_fields_for_personal_data(name):
    assert offending_fields([("monitoring.Value", name)]) == [("monitoring.Value", name)]


@pytest.mark.parametrize(
    "name",
    ["name", "name_es", "page", "language", "languages", "image_alt", "usage", "disaggregation",
     "stage", "message", "percentage", "coverage", "interface", "address"],
)  # fmt: skip
def test_the_check_leaves_other_fields_alone(name):
    assert offending_fields([("referrals.Actor", name)]) == []


def test_allowances_are_per_model():
    assert offending_fields([("referrals.Hotline", "email")]) == [("referrals.Hotline", "email")]
    assert offending_fields([("referrals.ContactPerson", "email")]) == []


def test_models_named_after_persons_are_refused():
    assert offending_models(["monitoring.Victim", "referrals.ObservedPerson"]) == [
        "monitoring.Victim",
        "referrals.ObservedPerson",
    ]
    assert offending_models(["referrals.ContactPerson", "referrals.Actor"]) == []
