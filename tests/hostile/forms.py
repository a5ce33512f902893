"""Every form of the portal, as a table: who posts it, a valid post, and the kind of each field.

tests/hostile/test_forms.py sends each field every value of its kind (tests/hostile/corpus.py),
the rest of the post valid, and checks the answer. A new form is a new entry here (or, for a form
with nothing to type, in NO_FIELDS); test_every_form_is_in_the_corpus fails until it is.

Every callable takes a Context: the World (tests/hostile/conftest.py) and whatever `setup` made.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from corett.api_tokens import issue_api_token
from corett.models import User
from monitoring.models import Narrative, Period, Population, Qualification, Target, Value
from monitoring.values import services
from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective
from strategy.services import CONTENT_FIELDS
from tests.conftest import PASSWORD

from .corpus import (
    BLANK,
    CHOICE,
    CODE,
    DATE,
    EMAIL,
    LONG,
    NUL,
    OPTIONAL_CHOICE,
    SCRIPT,
    TEXTS,
    VERSION,
    WHOLE,
    Kind,
    kind,
    text,
)

# Passwords and one-time codes: every value is wrong, so every one is refused.
SECRET = kind("secret", TEXTS)
# A decimal of the plan (baseline, target): odd but readable numbers ("-1", "١٢٣", "1e3") may be
# taken, stored as the number they read as; the rest refused.
PLAN_DECIMAL = kind(
    "plan decimal",
    ["-1", "0.5", "١٢٣", "", "1e309", "9" * 31, "NaN", "-inf", "1,5", "1\x002", "=1+1", "<b>1</b>"],
    {"1e309", "9" * 31, "NaN", "-inf", "1,5", "1\x002", "=1+1", "<b>1</b>"},
)


@dataclass
class Context:
    world: Any
    made: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)  # the page's form as shown, for Form(page=True)

    def __getattr__(self, name):
        try:
            return self.made[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Form:
    role: str
    data: Callable[[Context], dict]  # a valid post
    fields: dict  # {field name: Kind}
    kwargs: Callable[[Context], dict] = lambda ctx: {}
    setup: Callable[[Any], dict] = lambda world: {}
    # The row the form writes, to read an accepted value back (attribute = field, or `attribute`).
    stored: Callable[[Context], Any] | None = None
    attribute: dict = field(default_factory=dict)
    shown_at: Callable[[Context], str] | None = None  # a page that shows what was stored
    # Called before posting, e.g. to let a page create what it needs on a GET; may return
    # another address to post to.
    prepare: Callable | None = None
    writes: bool = True  # does the valid post write to the portal's tables?
    page: bool = False  # start from the page's own form as shown (tests/hostile/browser.py)


def as_shown(**changes):
    """A valid post: the page's form sent back as shown, with these changes."""
    return lambda ctx: {**ctx.shown, **changes}


def optional(kind_):
    """The same values, blank ones taken (the field may be left empty)."""
    return Kind(f"optional {kind_.name}", kind_.values, kind_.refused - set(BLANK))


# --- Accounts --------------------------------------------------------------------------------


def _device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _reset_token(ctx):
    user = ctx.world["observer"]
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": "set-password"}


def _to_reset_form(client, ctx, url):
    """Django moves the token from the address to the session, then shows the form."""
    user = ctx.world["observer"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    return url


def _to_security(client, ctx, url):
    client.get(url)  # the page sets up the pending device on a GET
    return url


def _security_code(ctx):
    device = TOTPDevice.objects.get(user=ctx.world["observer"], confirmed=False)
    return {"code": _code(device)}


def _unverified_with_device(world):
    """The observer with a confirmed device, signed in with the password only."""
    return {"device": _device(world["observer"])}


NEW_ACCOUNT = {
    "username": "new-person",
    "first_name": "Ana",
    "last_name": "Pérez",
    "email": "new-person@example.org",
    "role": User.Role.OBSERVER,
    "country": "",
    "is_active": "on",
}
ACCOUNT_FIELDS = {
    "username": CODE,
    "first_name": text(required=False, max_length=150),
    "last_name": text(required=False, max_length=150),
    "email": EMAIL,
    "role": CHOICE,
    "country": OPTIONAL_CHOICE,
}

ACCOUNTS = {
    "accounts:login": Form(
        "anonymous",
        lambda ctx: {"username": "observer", "password": PASSWORD},
        {"username": SECRET, "password": SECRET},  # signing in records the last sign-in
    ),
    "accounts:password_reset": Form(
        "anonymous",
        lambda ctx: {"email": "observer@example.org"},
        {"email": EMAIL},
        writes=False,
    ),
    "accounts:password_change": Form(
        "observer",
        lambda ctx: {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-2026",
            "new_password2": "another-long-password-2026",
        },
        {"old_password": SECRET, "new_password2": SECRET},
    ),
    "accounts:password_reset_confirm": Form(
        "anonymous",
        lambda ctx: {
            "new_password1": "another-long-password-2026",
            "new_password2": "another-long-password-2026",
        },
        {"new_password1": SECRET},
        kwargs=_reset_token,
        prepare=_to_reset_form,
    ),
    "accounts:security": Form("observer", _security_code, {"code": SECRET}, prepare=_to_security),
    "accounts:verify": Form(
        "observer-unverified",
        lambda ctx: {"code": _code(ctx.device)},
        {"code": SECRET},
        setup=_unverified_with_device,  # a code used is recorded on the device
    ),
    "accounts:api_token_revoke": Form(
        "observer",
        lambda ctx: {"token": ctx.token.digest},
        {"token": SECRET},  # no other value names a token of the observer's
        setup=lambda world: {"token": issue_api_token(user=world["observer"])[0]},
    ),
    "accounts:two_factor_remove": Form(
        "observer-verified",
        lambda ctx: {"code": _code(ctx.device)},
        {"code": SECRET},
        setup=lambda world: {"device": _device(world["observer"])},
    ),
    "accounts:user_create": Form(
        "secretariat",
        lambda ctx: dict(NEW_ACCOUNT),
        ACCOUNT_FIELDS,
        stored=lambda ctx: User.objects.get(email=NEW_ACCOUNT["email"]),
        shown_at=lambda ctx: reverse("accounts:users"),
    ),
    "accounts:user_edit": Form(
        "secretariat",
        lambda ctx: {**NEW_ACCOUNT, "username": "observer", "email": "observer@example.org"},
        {name: ACCOUNT_FIELDS[name] for name in ("username", "role", "country")},
        kwargs=lambda ctx: {"pk": ctx.world["observer"].pk},
        stored=lambda ctx: User.objects.get(pk=ctx.world["observer"].pk),
        shown_at=lambda ctx: reverse("accounts:users"),
    ),
}

# --- The plan workspace ----------------------------------------------------------------------

PLAN_TEXT = text(required=True, max_length=None)
PLAN_KINDS = {
    "axis": (Axis, {"name_es": text(required=True, max_length=100), "description_es": PLAN_TEXT}),
    "objective": (OperationalObjective, {"text_es": PLAN_TEXT, "text_en": PLAN_TEXT}),
    "activity": (
        Activity,
        {
            "code": CODE,
            "text_es": PLAN_TEXT,
            "responsible_es": text(required=True, max_length=200),
            "timeframe_en": text(required=True, max_length=200),
        },
    ),
    "goal": (Goal, {"code": CODE, "text_en": PLAN_TEXT}),
    "indicator": (
        Indicator,
        {
            "code": CODE,
            "name_es": text(required=True, max_length=300),
            "unit_en": text(required=False, max_length=60),
            "kind": CHOICE,
            "disaggregations": CHOICE,
            "baseline": PLAN_DECIMAL,
            "target": PLAN_DECIMAL,
            "minimum": PLAN_DECIMAL,
            "maximum": PLAN_DECIMAL,
        },
    ),
}


def _item(model):
    if model is Axis:
        return Axis.objects.get(number=1)
    return model.objects.current().order_by("pk").first()


def _post_of(item) -> dict:
    """What the edit form of this item posts unchanged."""
    data = {}
    for name in CONTENT_FIELDS[type(item)]:
        value = getattr(item, name)
        data[name] = "" if value is None else value
    data["version"] = item.version
    return data


def _edit(kind_name, *, version=True):
    """The edit form of a kind of plan item. Every kind shares the version's handling
    (strategy.plan_views.edit): two kinds try it."""
    model, fields = PLAN_KINDS[kind_name]
    return Form(
        "secretariat",
        lambda ctx: _post_of(_item(model)),
        {**fields, **({"version": VERSION} if version else {})},
        kwargs=lambda ctx: {"kind": kind_name, "pk": _item(model).pk},
        stored=lambda ctx: model.objects.get(pk=_item(model).pk),
        shown_at=lambda ctx: reverse("plan:history", args=[kind_name, _item(model).pk]),
    )


def _new_goal(ctx):
    return {"code": "9.9.9", "text_es": "Meta nueva", "text_en": "A new goal"}


PLAN = {
    "plan:edit": _edit("activity"),
    "plan:edit axis": _edit("axis", version=False),
    "plan:edit objective": _edit("objective", version=False),
    "plan:edit goal": _edit("goal", version=False),
    "plan:edit indicator": _edit("indicator"),
    "plan:create": Form(
        "secretariat",
        _new_goal,
        {"code": CODE, "text_es": PLAN_TEXT, "text_en": PLAN_TEXT},
        kwargs=lambda ctx: {"kind": "goal", "parent_pk": _item(Activity).pk},
        stored=lambda ctx: Goal.objects.order_by("-pk").first(),
        shown_at=lambda ctx: reverse("plan:index"),
    ),
    "plan:create_context": Form(
        "secretariat",
        lambda ctx: {
            "code": "CTX-9",
            "name_es": "Indicador de contexto",
            "name_en": "A context indicator",
            "unit_es": "",
            "unit_en": "",
            "kind": "count",
            "baseline": "",
            "target": "",
        },
        {"code": CODE, "name_en": text(required=True, max_length=300)},  # else as edited
        stored=lambda ctx: Indicator.objects.order_by("-pk").first(),
        shown_at=lambda ctx: reverse("plan:index"),
    ),
    "plan:retire": Form(
        "secretariat",
        lambda ctx: {"version": _item(Goal).version},
        {"version": VERSION},
        kwargs=lambda ctx: {"kind": "goal", "pk": _item(Goal).pk},
    ),
    "plan:restore": Form(
        "secretariat",
        lambda ctx: {"version": ctx.retired.version},
        {"version": VERSION},
        kwargs=lambda ctx: {"kind": "goal", "pk": ctx.retired.pk},
        setup=lambda world: {"retired": _retired_goal(world)},
    ),
    "plan:revert": Form(
        "secretariat",
        lambda ctx: {"version": _item(Goal).version},
        {"version": VERSION},
        kwargs=lambda ctx: {
            "kind": "goal",
            "pk": _item(Goal).pk,
            "history_id": _item(Goal).history.earliest().history_id,
        },
        setup=lambda world: {"edited": _edited_goal(world)},
    ),
}


def _retired_goal(world):
    from strategy import services

    goal = _item(Goal)
    return services.plan_item_retire(user=world["secretariat"], instance=goal, version=goal.version)


def _edited_goal(world):
    from strategy import services

    goal = _item(Goal)
    return services.plan_item_update(
        user=world["secretariat"],
        instance=goal,
        data={"text_en": goal.text_en + " (edited)"},
        version=goal.version,
    )


# --- Monitoring: the secretariat's pages ------------------------------------------------------

REVIEW_NOTE = text(required=True, max_length=2000)


def _value_page(ctx):
    return reverse("monitoring:value", args=[ctx.value.pk])


def _period(code="2026"):
    return Period.objects.get(code=code)


def _marked(world):
    """A submitted value the secretariat has marked for follow-up."""
    return services.value_follow_up(
        user=world.users["secretariat"], value=world.submitted_value(), note="Ask for the source."
    )


MONITORING = {
    "monitoring:value_follow_up": Form(
        "secretariat",
        lambda ctx: {"note": "Ask for the list of cities."},
        {"note": REVIEW_NOTE},
        kwargs=lambda ctx: {"pk": ctx.value.pk},
        setup=lambda world: {"value": world.submitted_value()},
        stored=lambda ctx: Value.objects.get(pk=ctx.value.pk),
        attribute={"note": "follow_up_note"},
        shown_at=_value_page,
    ),
    "monitoring:value_follow_up_resolve": Form(
        "secretariat",
        lambda ctx: {"note": "List received."},
        {"note": text(required=False, max_length=2000)},
        kwargs=lambda ctx: {"pk": ctx.value.pk},
        setup=lambda world: {"value": _marked(world)},
        stored=lambda ctx: Value.objects.get(pk=ctx.value.pk).audits.latest("pk"),
        shown_at=_value_page,
    ),
    "monitoring:review_validate": Form(
        "secretariat",
        lambda ctx: {"version": ctx.value.version},
        {"version": VERSION},
        kwargs=lambda ctx: {"pk": ctx.value.pk},
        setup=lambda world: {"value": world.submitted_value()},
    ),
    "monitoring:review_return": Form(
        "secretariat",
        lambda ctx: {"version": ctx.value.version, "comment": "Check the total."},
        {"version": VERSION, "comment": REVIEW_NOTE},
        kwargs=lambda ctx: {"pk": ctx.value.pk},
        setup=lambda world: {"value": world.submitted_value()},
        stored=lambda ctx: Value.objects.get(pk=ctx.value.pk),
        attribute={"comment": "review_comment"},
        shown_at=_value_page,
    ),
    "monitoring:review_reopen": Form(
        "secretariat",
        lambda ctx: {"version": ctx.value.version, "reason": "A typo in the total."},
        {"version": VERSION, "reason": REVIEW_NOTE},
        kwargs=lambda ctx: {"pk": ctx.value.pk},
        setup=lambda world: {"value": world.validated_value()},
        stored=lambda ctx: Value.objects.get(pk=ctx.value.pk).audits.latest("pk"),
        attribute={"reason": "note"},
        shown_at=_value_page,
    ),
    "monitoring:queue_validate": Form(
        "secretariat",
        lambda ctx: {"value": f"{ctx.value.pk}:{ctx.value.version}"},
        {"value": CHOICE},
        setup=lambda world: {"value": world.submitted_value()},
    ),
    "monitoring:narrative_validate": Form(
        "secretariat",
        lambda ctx: {"version": ctx.narrative.version},
        {"version": VERSION},
        kwargs=lambda ctx: {"pk": ctx.narrative.pk},
        setup=lambda world: {"narrative": world.submitted_narrative()},
    ),
    "monitoring:narrative_return": Form(
        "secretariat",
        lambda ctx: {"version": ctx.narrative.version, "comment": "Say more about 2026."},
        {"version": VERSION, "comment": REVIEW_NOTE},
        kwargs=lambda ctx: {"pk": ctx.narrative.pk},
        setup=lambda world: {"narrative": world.submitted_narrative()},
        stored=lambda ctx: Narrative.objects.get(pk=ctx.narrative.pk),
        attribute={"comment": "review_comment"},
        shown_at=lambda ctx: reverse("monitoring:narrative", args=[ctx.narrative.pk]),
    ),
    "monitoring:period_create": Form(
        "secretariat",
        lambda ctx: {
            "code": "2028",
            "kind": "annual",
            "starts_on": "2028-01-01",
            "ends_on": "2028-12-31",
            "opens_on": "2028-01-01",
            "closes_on": "2029-03-31",
        },
        {
            "code": CODE,
            "kind": CHOICE,
            "starts_on": DATE,
            "closes_on": DATE,
        },
        stored=lambda ctx: Period.objects.order_by("-pk").first(),
        shown_at=lambda ctx: reverse("monitoring:periods"),
    ),
    # Indicator 1 (SEN-1.1.1-a) is a count, on the targets page's first tab.
    "monitoring:targets": Form(
        "secretariat",
        lambda ctx: {
            "shown": "{}",
            "target-1-region": "2",
            "target-1-HN": "3",
            "baseline-1-HN": "1",
        },
        {"target-1-region": WHOLE, "shown": text(required=False, max_length=None)},
        kwargs=lambda ctx: {"pk": _period().pk},
        stored=lambda ctx: Target.objects.filter(period=_period()).order_by("pk").first(),
    ),
    "monitoring:qualifications": Form(
        "secretariat",
        lambda ctx: {
            "form": ctx.prefix,
            f"{ctx.prefix}-rating": "at_risk",
            f"{ctx.prefix}-reason": "Two campaigns are late.",
            f"{ctx.prefix}-seen": "",
        },
        {
            "form": CHOICE,
            "q-1-region-rating": CHOICE,
            "q-1-region-reason": text(required=True, max_length=4000),
            "q-1-region-seen": OPTIONAL_CHOICE,  # when the qualification shown was saved
        },
        kwargs=lambda ctx: {"pk": _period().pk},
        setup=lambda world: {"prefix": "q-1-region"},  # axis 1 has pk 1 in the fixtures
        stored=lambda ctx: Qualification.objects.get(),
        attribute={"q-1-region-reason": "reason"},
        shown_at=lambda ctx: reverse("monitoring:qualifications", args=[_period().pk]),
    ),
}

# --- The referral directory --------------------------------------------------------------------


def _hn(model, **filters):
    from referrals import models

    return getattr(models, model).objects.filter(**filters).order_by("pk").first()


def _actor():
    return _hn("Actor", country__code="HN", is_governing_body=True)


def _hotline():
    return _hn("Hotline", country__code="HN")


def _step():
    return _hn("RouteStep", route__country__code="HN")


URL = kind("url", [NUL, LONG, SCRIPT, "javascript:alert(1)", "http://", "١٢٣"])
ACTOR_FIELDS = {
    "name_es": text(required=True, max_length=300),
    "services_es": text(required=False, max_length=None),
    "acronym_en": text(required=False, max_length=40),
    "sector": CHOICE,
    "roles": OPTIONAL_CHOICE,
    "email": optional(EMAIL),
    "website": URL,
    "source_date": optional(DATE),
    "version": VERSION,
}
# A position among siblings: Django's IntegerField reads digits of any script ("١٢٣" is 123).
POSITION = Kind("position", WHOLE.values, WHOLE.refused - {"١٢٣", "１２３"})
STEP_FIELDS = {
    "order": POSITION,
    "title_es": text(required=True, max_length=200),
    "action_es": text(required=True, max_length=None),
    "actors": OPTIONAL_CHOICE,
    "version": VERSION,
}
VERIFY = {"version": VERSION}


def _directory_form(role, url_kwargs, fields, stored=None, shown_at=None, **changes):
    return Form(
        role,
        as_shown(**changes),
        fields,
        kwargs=url_kwargs,
        stored=stored,
        shown_at=shown_at,
        page=True,
    )


REFERRALS = {
    "referrals:actor_edit": _directory_form(
        "focal-hn",
        lambda ctx: {"pk": _actor().pk},
        ACTOR_FIELDS,
        stored=lambda ctx: type(_actor()).objects.get(pk=_actor().pk),
        shown_at=lambda ctx: reverse("referrals:actor", args=[_actor().pk]),
        name_es="Comisión Interinstitucional (revisada)",
    ),
    "referrals:actor_create": _directory_form(
        "focal-hn",
        lambda ctx: {"code": "HN"},
        {name: ACTOR_FIELDS[name] for name in ("name_es", "sector", "email")},  # else as edited
        stored=lambda ctx: _hn("Actor", country__code="HN", name_es__startswith="Fiscalía de"),
        name_es="Fiscalía de prueba",
        sector="government",
    ),
    "referrals:hotline_edit": _directory_form(
        "focal-hn",
        lambda ctx: {"pk": _hotline().pk},
        {
            "number": text(required=False, max_length=40),
            "web_form": optional(URL),
            "order": POSITION,
            "actor": OPTIONAL_CHOICE,
            "notes_es": text(required=False, max_length=None),
            "version": VERSION,
        },
        stored=lambda ctx: type(_hotline()).objects.get(pk=_hotline().pk),
        number="130",
    ),
    "referrals:hotline_create": _directory_form(
        "focal-hn",
        lambda ctx: {"code": "HN"},
        {
            "number": text(required=False, max_length=40),
            "order": POSITION,
            "actor": OPTIONAL_CHOICE,
        },
        number="131",
        order="9",
    ),
    "referrals:route_edit": _directory_form(
        "focal-hn",
        lambda ctx: {"code": "HN"},
        {
            "title_es": text(required=True, max_length=300),
            "description_en": text(required=False, max_length=None),
            "source_url": optional(URL),
            "version": VERSION,
        },
        shown_at=lambda ctx: reverse("referrals:route", args=["HN"]),
        title_es="Ruta de referencia de Honduras (revisada)",
    ),
    "referrals:step_create": _directory_form(
        "focal-hn",
        lambda ctx: {"code": "HN"},
        {name: STEP_FIELDS[name] for name in ("title_es", "actors")},  # the step form, as edited
        order="99",
        title_es="Paso de prueba",
        action_es="Llamar a la línea de denuncia.",
    ),
    "referrals:step_edit": _directory_form(
        "focal-hn",
        lambda ctx: {"pk": _step().pk},
        STEP_FIELDS,
        shown_at=lambda ctx: reverse("referrals:route", args=["HN"]),
        title_es="Primer paso (revisado)",
    ),
    "referrals:actor_verify": Form(
        "focal-hn",
        lambda ctx: {"version": _actor().version},
        VERIFY,
        kwargs=lambda ctx: {"pk": _actor().pk},
    ),
    "referrals:hotline_verify": Form(  # the same view as the actor's: its version tried there
        "focal-hn",
        lambda ctx: {"version": _hotline().version},
        {},
        kwargs=lambda ctx: {"pk": _hotline().pk},
    ),
    "referrals:route_verify": Form(
        "focal-hn",
        lambda ctx: {"version": _hn("Route", country__code="HN").version},
        {},
        kwargs=lambda ctx: {"code": "HN"},
    ),
    "referrals:step_delete": Form(
        "focal-hn",
        lambda ctx: {"version": _step().version},
        VERIFY,
        kwargs=lambda ctx: {"pk": _step().pk},
    ),
}

# --- Reports ---------------------------------------------------------------------------------

REPORTS = {
    "monitoring:report_request": Form(
        "focal-hn",
        lambda ctx: {"scope": "HN", "period": "2019", "language": "es"},
        {"scope": CHOICE, "period": CHOICE, "language": CHOICE},
    ),
}

# --- Population denominators -----------------------------------------------------------------


def _population():
    return Population.objects.get(country__code="HN", year=2019)


# A year or a total: a whole number, required.
REQUIRED_WHOLE = kind("required whole", [*WHOLE.values], WHOLE.values)
POPULATION_FIELDS = {
    "total": REQUIRED_WHOLE,
    "women": WHOLE,
    "children": WHOLE,
    "source": text(required=True, max_length=500),
    "source_date": DATE,
}
POPULATIONS = {
    "monitoring:population_create": Form(
        "secretariat",
        lambda ctx: {
            "country": str(_population().country_id),
            "year": "2031",
            "total": "1000",
            "source": "A census",
            "source_date": "2026-01-01",
        },
        {**POPULATION_FIELDS, "country": CHOICE, "year": REQUIRED_WHOLE},
        stored=lambda ctx: Population.objects.order_by("-pk").first(),
        shown_at=lambda ctx: reverse("monitoring:populations"),
    ),
    "monitoring:population_edit": Form(
        "secretariat",
        lambda ctx: {
            "total": "9943634",
            "source": "A census",
            "source_date": "2026-01-01",
            "version": str(_population().version),
        },
        {**POPULATION_FIELDS, "version": VERSION},
        kwargs=lambda ctx: {"pk": _population().pk},
        stored=lambda ctx: _population(),
        shown_at=lambda ctx: reverse("monitoring:populations"),
    ),
}

FORMS = {**ACCOUNTS, **PLAN, **MONITORING, **REFERRALS, **REPORTS, **POPULATIONS}

# Posts with nothing to type (their address is tampered with in test_urls.py), uploads (in
# test_imports.py), and pages whose many inputs are tested row by row in test_entry.py.
NO_FIELDS = {
    "accounts:logout",
    "accounts:user_invite",
    "accounts:user_two_factor_reset",
    "plan:move",
    "monitoring:period_lock",
    "monitoring:period_unlock",
    "spreadsheet:confirm",
    "monitoring:spreadsheet_confirm",
    "referrals:import_confirm",
    "monitoring:population_confirm",
}
UPLOADS = {
    "spreadsheet:index",
    "monitoring:spreadsheet_import",
    "referrals:import",
    "monitoring:population_import",
}
ROW_BY_ROW = {"monitoring:entry"}
SET_LANGUAGE = {"set_language"}  # its `next` is tested in test_tampering.py


def api_url_names() -> set[str]:
    """The names of the URLs under /api/: test_api.py finds those in the OpenAPI schema."""
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "api/":
            names |= {name for name in pattern.reverse_dict if isinstance(name, str)}
    return names
