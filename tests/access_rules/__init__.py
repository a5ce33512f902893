"""The vocabulary of the access matrix (tests/test_access_matrix.py).

Each area of the portal lists its URLs in a module of this package as `RULES = {url name: Rule}`;
the matrix runs every rule against every role, and its meta-test fails on a URL no module names.
"""

from dataclasses import dataclass, field

PUBLIC = "public"  # everyone
SIGNED_IN = "signed in"  # any account; anonymous visitors are sent to sign in
SECRETARIAT = "secretariat"  # secretariat only; other accounts 403, anonymous sent to sign in
SUPERUSER = "superuser"  # the Django admin back office
API_READ = "api read"  # public reads of the API
API_WRITE = "api write"  # secretariat writes of the API: others 401 (anonymous) or 403
# Only with an API token (signing a token out): 401 to every request without one, a signed-in
# browser's session included (the matrix signs in with sessions; the token side is tested in
# tests/test_api_tokens.py).
API_TOKEN = "api token"
# The country's own focal point and the secretariat; other accounts 403 or 404, anonymous visitors
# sent to sign in. Rule.country names the country whose data the URL touches.
COUNTRY = "country"
API_COUNTRY = "api country"  # the same through the API: anonymous 401
# Any account through the API (what each one sees is its own: the inbox); anonymous 401. Accounts
# without an inbox (observers) get 403, which "any" accepts: tests/test_inbox.py checks it exactly.
API_SIGNED_IN = "api signed in"
# Machines of the IT unit only (a metrics scraper with its token): every role gets 403 or 404.
OPERATOR = "operator"


@dataclass
class Rule:
    access: str
    kwargs: dict = field(default_factory=dict)
    methods: tuple = ("get",)
    data: dict = field(default_factory=dict)
    country: str = "HN"  # for COUNTRY rules: whose data the URL touches
