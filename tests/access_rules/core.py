"""Sign-in, profiles, the directory and search: open to every signed-in person."""

from __future__ import annotations

from tests.access_rules import ROLES, Rule, everyone

HX = {"HX-Request": "true"}

RULES = [
    # Sign-in is the one page for people who are not signed in; signed-in people go home.
    Rule("accounts.login", "GET", expect=everyone(302, anonymous=200, guest=302)),
    Rule(
        "accounts.login",
        "POST",
        data=lambda w: {"email": "nobody@example.com", "password": "wrong"},
        expect={role: 422 for role in ROLES},
    ),
    Rule("accounts.logout", "POST", expect=everyone(303, guest=303)),
    # OpenID Connect sign-in: not configured in the suite's app, so not there for anyone
    # (tests/test_oidc.py drives it against a real provider).
    Rule("accounts.oidc_start", "GET", expect={role: 404 for role in ROLES}),
    Rule("accounts.oidc_callback", "GET", expect={role: 404 for role in ROLES}),
    Rule("accounts.me", "GET", expect=everyone(302), note="your own profile page"),
    Rule("accounts.profile", "GET", url=lambda w: {"user_id": w.users["agent"].id},
         expect=everyone()),
    Rule("directory.home", "GET", expect=everyone(guest=302),
         note="a guest is sent to their own home, /partners"),
    Rule("directory.departments", "GET", expect=everyone(guest=302),
         note="the A-to-Z: a guest is sent to their own home, /partners"),
    Rule("directory.health", "GET", expect={role: 200 for role in ROLES}),
    Rule("directory.search_page", "GET", query="q=laptop", expect=everyone()),
    Rule("directory.pick", "GET", query="q=iv", expect=everyone(404, anonymous=302),
         note="a fragment: no page"),
    Rule(
        "directory.pick",
        "GET",
        query="q=iv&box=recipients",
        headers=HX,
        expect=everyone(200, anonymous=204),
    ),
    Rule("directory.department", "GET", url=lambda w: {"slug": w.it.slug}, expect=everyone()),
    Rule(
        "directory.service",
        "GET",
        url=lambda w: {"slug": w.it.slug, "service_slug": w.laptop.slug},
        expect=everyone(),
    ),
]
