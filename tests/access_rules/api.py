"""The REST API (/api/v1) and the tokens that open it.

Token rules: every role calls with a read-and-write token of its own; anonymous sends none
(401). The same routes called with only the session cookie are 401 for everyone: a session
never opens the API. A request is seen, and answered, by the same people as on its page."""

from __future__ import annotations

from portal.accounts import api_tokens
from portal.extensions import db
from portal.models import CompanyValue, TokenScope
from portal.recognition.services import posting
from tests.access_rules import ROLES, Rule, World, everyone, only

VIEWERS = {"employee", "agent", "manager", "admin"}  # requester, IT members, admin
WORKERS = {"agent", "manager", "admin"}  # IT's members and the admin: the department's side
AUDIENCE = VIEWERS  # of the department-only thanks: its author, IT's people, the admin
NOBODY_BY_SESSION = {role: 401 for role in ROLES}


def setup(world: World) -> None:
    world.erin_token, _text = api_tokens.issue(
        world.users["employee"], api_tokens.NewToken("Dashboard", TokenScope.READ, 30)
    )
    world.value = CompanyValue(name="Customer first", colour="blue")
    db.session.add(world.value)
    db.session.commit()
    world.private = posting.post_recognition(
        world.users["employee"], recipients="@ivan", value_id=world.value.id,
        message="Just for IT", visibility="department",
    )


def private(w: World) -> dict:
    return {"post_id": w.private.id}


def reaction(w: World) -> dict:
    return {"post_id": w.private.id, "kind": "clap"}


def thanks(w: World) -> dict:
    return {"teams": ["hr"], "value": w.value.id, "message": "Thanks for the onboarding day"}


def key(w: World) -> dict:
    return {"key": w.request.key}


def dept(w: World) -> dict:
    return {"slug": w.it.slug}


def new_request(w: World) -> dict:
    return {"department": "it", "service": "new-laptop", "title": "A laptop",
            "description": "For Sam.", "fields": {"model": "Standard"}}


def by_token(status: int = 200) -> dict[str, int]:
    """A guest's token opens nothing: guests use the pages they are let into, not the API."""
    return everyone(status, anonymous=401, guest=401)


RULES = [
    Rule("api.department", "GET", url=dept, token=True, expect=by_token()),
    Rule("api.department_services", "GET", url=dept, token=True, expect=by_token()),
    Rule("api.search", "GET", query="q=laptop", token=True, expect=by_token()),
    Rule("api.my_requests", "GET", query="mine", token=True, expect=by_token()),
    Rule("api.request_detail", "GET", url=key, token=True,
         expect=only(VIEWERS, 200, anonymous=401, guest=401)),
    Rule("api.create_request", "POST", data=new_request, token=True, expect=by_token(201)),
    Rule("api.reply", "POST", url=key, data=lambda w: {"body": "Any news?"}, token=True,
         expect=only(VIEWERS, 201, anonymous=401, guest=401)),
    Rule("api.add_note", "POST", url=key, data=lambda w: {"body": "Ordered."}, token=True,
         expect=only(WORKERS, 201, anonymous=401, guest=401)),
    Rule("api.change_request", "PATCH", url=key, data=lambda w: {"priority": "urgent"},
         token=True, expect=only(WORKERS, 200, anonymous=401, guest=401)),
    Rule("api.department_scorecard", "GET", url=dept, token=True, expect=by_token()),
    Rule("api.company_values", "GET", token=True, expect=by_token()),
    Rule("api.recognitions", "GET", query="department=it&mentions=me", token=True,
         expect=by_token()),
    Rule("api.recognition", "GET", url=private, token=True,
         expect=only(AUDIENCE, 200, anonymous=401, guest=401)),
    Rule("api.post_recognition", "POST", data=thanks, token=True, expect=by_token(201)),
    Rule("api.reaction", "PUT", url=reaction, token=True,
         expect=only(AUDIENCE, 200, anonymous=401, guest=401)),
    Rule("api.reaction", "DELETE", url=reaction, token=True,
         expect=only(AUDIENCE, 200, anonymous=401, guest=401)),
    Rule("api.add_addon", "POST", url=private, data=lambda w: {"message": "Seconded!"},
         token=True, expect=only(AUDIENCE, 201, anonymous=401, guest=401)),
    # With the session cookie (and even a valid CSRF token) and no token: nothing opens.
    Rule("api.my_requests", "GET", query="mine", expect=NOBODY_BY_SESSION, note="session"),
    Rule("api.request_detail", "GET", url=key, expect=NOBODY_BY_SESSION, note="session"),
    Rule("api.create_request", "POST", data=new_request, expect=NOBODY_BY_SESSION,
         note="session"),
    # The OpenAPI document is public; its readable page is a page (sign in).
    Rule("openapi.spec", "GET", expect={**dict.fromkeys(ROLES, 200), "guest": 404}),
    Rule("api_docs.docs", "GET", expect=everyone()),
    # Your tokens: your own only (another's token to revoke is 404).
    Rule("accounts.tokens", "GET", expect=everyone()),
    Rule("accounts.make_token", "POST",
         data=lambda w: {"name": "Chat bot", "scope": "read", "days": "30"}, expect=everyone()),
    Rule("accounts.make_token", "POST", data=lambda w: {"name": "", "scope": "read", "days": "30"},
         expect=everyone(422), note="no name: refused beside the field"),
    Rule("accounts.revoke_token", "POST", url=lambda w: {"token_id": w.erin_token.id},
         expect=only({"employee"}, 303)),
]
