"""Administration: /admin is for portal admins only (404 for everyone else, signed-in or
not yet: anonymous people are sent to sign in first). A department's audit log is for its
managers and admins."""

from __future__ import annotations

from portal.accounts import api_tokens
from portal.admin import service_accounts
from portal.extensions import db
from portal.models import MembershipRole, SearchSynonym, TokenScope
from tests import factories
from tests.access_rules import Rule, World, only

ADMIN = {"admin"}
LOG_READERS = {"manager", "admin"}  # Iris manages IT; Hugo manages HR, not IT


def setup(world: World) -> None:
    world.legal = factories.make_department(slug="legal", name="Legal", key_prefix="LE")
    world.person = factories.make_user(email="pat@example.com", name="Pat Person")
    world.synonym = SearchSynonym(words="zebra crossing")
    db.session.add(world.synonym)
    db.session.commit()
    admin = world.users["admin"]
    world.service_account = service_accounts.create(
        admin, service_accounts.NewServiceAccount("HR sync", world.it.id, MembershipRole.AGENT)
    )
    world.service_token = service_accounts.issue_token(
        admin, world.service_account, api_tokens.NewToken("Sync", TokenScope.READ, 30)
    )[0]


def legal(w: World) -> dict:
    return {"department_id": w.legal.id}


def person(w: World) -> dict:
    return {"user_id": w.person.id}


def service_account(w: World) -> dict:
    return {"account_id": w.service_account.id}


RULES = [
    Rule("admin.home", "GET", expect=only(ADMIN, 200)),
    Rule("admin.create_department", "POST",
         data=lambda w: {"name": "Facilities", "slug": "facilities"}, expect=only(ADMIN, 303)),
    Rule("admin.department", "GET", url=legal, expect=only(ADMIN, 200)),
    Rule("admin.rename_department", "POST", url=legal,
         data=lambda w: {"name": "Legal team", "slug": "legal-team"}, expect=only(ADMIN, 303)),
    Rule("admin.merge_department", "POST", url=legal,
         data=lambda w: {"target": str(w.hr.id), "confirm": "y"}, expect=only(ADMIN, 303)),
    Rule("admin.archive_department", "POST", url=legal, expect=only(ADMIN, 303)),
    Rule("admin.restore_department", "POST", url=legal, expect=only(ADMIN, 422),
         note="an active department cannot be brought back"),
    Rule("admin.people", "GET", query="q=pat", expect=only(ADMIN, 200)),
    Rule("admin.deactivate_person", "GET", url=person, expect=only(ADMIN, 200)),
    Rule("admin.deactivate_person", "POST", url=person, expect=only(ADMIN, 303)),
    Rule("admin.reactivate_person", "POST", url=person, expect=only(ADMIN, 303)),
    Rule("admin.set_admin", "POST", url=person, data=lambda w: {"make_admin": "yes"},
         expect=only(ADMIN, 303)),
    Rule("admin.import_page", "GET", expect=only(ADMIN, 200)),
    Rule("admin.import_check", "POST", expect=only(ADMIN, 422),
         note="no file: the form again with its message"),
    Rule("admin.import_apply", "POST", data=lambda w: {"token": "unknown", "mode": "apply"},
         expect=only(ADMIN, 422), note="an upload that is not the admin's own"),
    Rule("admin.synonyms_page", "GET", expect=only(ADMIN, 200)),
    Rule("admin.add_synonyms", "POST", data=lambda w: {"words": "copier photocopier"},
         expect=only(ADMIN, 303)),
    Rule("admin.change_synonyms", "POST", url=lambda w: {"synonym_id": w.synonym.id},
         data=lambda w: {"words": "zebra crosswalk"}, expect=only(ADMIN, 303)),
    Rule("admin.remove_synonyms", "POST", url=lambda w: {"synonym_id": w.synonym.id},
         expect=only(ADMIN, 303)),
    Rule("admin.service_accounts_page", "GET", expect=only(ADMIN, 200)),
    Rule("admin.create_service_account", "POST",
         data=lambda w: {"name": "Chat bot", "department": str(w.it.id), "role": "agent"},
         expect=only(ADMIN, 303)),
    Rule("admin.service_account", "GET", url=service_account, expect=only(ADMIN, 200)),
    Rule("admin.make_service_token", "POST", url=service_account,
         data=lambda w: {"name": "Dashboard", "scope": "read", "days": "30"},
         expect=only(ADMIN, 200), note="the page with the new token, shown once"),
    Rule("admin.revoke_service_token", "POST",
         url=lambda w: {"account_id": w.service_account.id, "token_id": w.service_token.id},
         expect=only(ADMIN, 303)),
    Rule("admin.switch_service_account", "POST", url=service_account,
         data=lambda w: {"active": "no"}, expect=only(ADMIN, 303)),
    Rule("admin.audit", "GET", expect=only(ADMIN, 200)),
    Rule("admin.audit_csv", "GET", expect=only(ADMIN, 200)),
    Rule("admin.department_audit", "GET", url=lambda w: {"slug": w.it.slug},
         expect=only(LOG_READERS, 200)),
    Rule("admin.department_audit_csv", "GET", url=lambda w: {"slug": w.it.slug},
         expect=only(LOG_READERS, 200)),
]
