"""The access-rule table: for every route of the app, role × method → expected status.

One table, gathered from one module per area (`tests/access_rules/<area>.py`, each with a
`RULES` list and, where its rules need objects of their own, a `setup(world)` function).
`tests/test_access_rules.py` walks it against the live URL map: every rule is tried as every
role on a fresh world, and a route (endpoint × method) without a rule fails the suite.

Roles, each a real person in the world:
- ``anonymous``: nobody signed in;
- ``employee``: Erin, works in Sales (no membership anywhere), the requester of ``world.request``;
- ``agent``: Ivan, an agent of IT;
- ``manager``: Iris, a manager of IT;
- ``other_manager``: Hugo, a manager of HR (another department);
- ``admin``: Ada, a portal admin with no department;
- ``guest``: Nina, a partner from Northwind Logistics invited by IT (issue 18). IT opens no
  service to partners in the shared world, so she sees next to nothing: every route is 404
  for her unless its rule says otherwise (``everyone`` and ``only`` give 404 by default).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from portal.models import FieldKind
from tests import factories

ROLES = ("anonymous", "employee", "agent", "manager", "other_manager", "admin", "guest")


class World:
    """The people, departments and objects the rules refer to. Areas add attributes."""

    it: Any
    hr: Any
    sales: Any
    laptop: Any
    request: Any
    users: dict[str, Any]

    def __init__(self) -> None:
        self.users = {}


@dataclass(frozen=True)
class Rule:
    endpoint: str
    method: str
    expect: dict[str, int]
    url: Callable[[World], dict[str, Any]] | None = None
    data: Callable[[World], dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""
    note: str = ""
    # An API rule (/api/v1): each role calls with a personal access token of its own
    # (read and write) and a JSON body, never with the session cookie.
    token: bool = False

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        extra = set(self.expect) - set(ROLES)
        if missing or extra:
            raise ValueError(
                f"rule {self.endpoint} {self.method}: roles missing {sorted(missing)}, "
                f"unknown {sorted(extra)}"
            )

    @property
    def id(self) -> str:
        return f"{self.endpoint}:{self.method}{':' + self.note if self.note else ''}"


def everyone(status: int = 200, *, anonymous: int = 302, guest: int = 404) -> dict[str, int]:
    """The same status for every employee; anonymous people are sent to sign in; a guest
    gets 404 unless the rule says otherwise (the guest guard: declared routes only)."""
    expect = {role: (anonymous if role == "anonymous" else status) for role in ROLES}
    return {**expect, "guest": guest}


def only(
    allowed: set[str], status: int, *, denied: int = 404, anonymous: int = 302, guest=None
):
    """`status` for the roles in `allowed`, `denied` for the other signed-in roles; a
    guest gets `guest` when given, else 404 unless "guest" is in `allowed`."""
    expect = {
        role: anonymous if role == "anonymous" else (status if role in allowed else denied)
        for role in ROLES
    }
    if guest is not None:
        expect["guest"] = guest
    elif "guest" not in allowed:
        expect["guest"] = 404
    return expect


def build_world() -> World:
    world = World()
    world.it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    world.hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    world.sales = factories.make_department(slug="sales", name="Sales", key_prefix="SA")
    world.users["employee"] = factories.make_user(
        email="erin@example.com", name="Erin Employee", department_id=world.sales.id
    )
    world.users["agent"] = factories.make_user(
        email="ivan@example.com", name="Ivan Agent", roles={world.it: "agent"}
    )
    world.users["manager"] = factories.make_user(
        email="iris@example.com", name="Iris Manager", roles={world.it: "manager"}
    )
    world.users["other_manager"] = factories.make_user(
        email="hugo@example.com", name="Hugo Manager", roles={world.hr: "manager"}
    )
    world.users["admin"] = factories.make_user(
        email="ada@example.com", name="Ada Admin", is_admin=True
    )
    world.users["guest"] = factories.make_guest(
        world.it, email="nina@northwind.example", name="Nina Partner"
    )
    world.laptop = factories.make_service(world.it, slug="new-laptop", name="New laptop")
    factories.make_field(world.laptop, "model", FieldKind.CHOICE.value,
                         options=["Standard", "Developer"])
    world.request = factories.make_request(world.laptop, world.users["employee"])
    return world


def area_modules() -> list[ModuleType]:
    """Every rules module in this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]


def all_rules() -> list[tuple[ModuleType, Rule]]:
    return [(module, rule) for module in area_modules() for rule in module.RULES]
