"""Shared test worlds: the IT desk (IT with its laptop service and standards, Ivan the agent,
Iris the manager, Erin the employee), the wall, a check-in, and one app with its caches on.

Registered as fixtures by tests/conftest.py (`pytest_plugins`): `it_desk`, `wall`, `smtp`,
`checkin`, `cached_app`, and `worlds` (this module, so a fixture can call a builder without an
import). A test file that needs the same world with a different detail (the
desk's hours, a service called "Laptop", a second agent) calls the builder with that detail
instead of writing the world again:

    @pytest.fixture
    def desk(app):
        return worlds.it_desk(laptop=("laptop", "Laptop"), standards={Priority.NORMAL: (240, 960)})

A world reads both ways, `desk.ivan` and `desk["agent"]`: the names the test files used for
the same person or thing (department/it, service/laptop, agent/ivan, manager/iris,
requester/erin) are the same object."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, time, timedelta
from secrets import token_hex
from types import SimpleNamespace

import pytest

from portal.extensions import cache, db, reader_cache
from portal.models import CompanyValue, Priority
from tests import factories

# The desk's standards by default: normal replies in 4 business hours and resolves in two
# business days (16 h); urgent in 30 minutes and 4 hours.
STANDARDS = {Priority.NORMAL: (240, 960), Priority.URGENT: (30, 240)}
NAMES = {
    "ivan": ("Ivan Agent", "ivan@example.com", "agent"),
    "iris": ("Iris Manager", "iris@example.com", "manager"),
    "erin": ("Erin Requester", "erin@example.com", None),
    "hugo": ("Hugo Manager", "hugo@example.com", "manager"),  # HR's manager
}
ALIASES = {
    "department": "it",
    "service": "laptop",
    "agent": "ivan",
    "manager": "iris",
    "requester": "erin",
}


class World(SimpleNamespace):
    """A namespace that also answers `world["name"]` (and the aliases above)."""

    def __getitem__(self, name: str):
        return getattr(self, ALIASES.get(name, name) if not hasattr(self, name) else name)

    def __contains__(self, name: str) -> bool:
        return hasattr(self, ALIASES.get(name, name))


def it_desk(
    *,
    hours: tuple[time, time] | None = (time(9), time(17)),
    weekdays=None,
    standards: dict | None = STANDARDS,
    laptop: tuple[str, str] = ("new-laptop", "New laptop"),
    laptop_options: dict | None = None,
    people: tuple[str, ...] = ("ivan", "iris", "erin"),
    names: dict[str, str] | None = None,
    hr: bool = False,
) -> World:
    """IT (key prefix IT, London hours `hours`, `standards`), its laptop service and the
    people named in `people`, made in that order (Ivan the agent, Iris the manager, Erin the
    employee; Hugo manages HR, which `hr=True` or Hugo adds after IT)."""
    department = {"slug": "it", "name": "IT", "key_prefix": "IT"}
    if hours is not None:
        department["hours"] = hours
    if weekdays is not None:
        department["weekdays"] = weekdays
    if standards is not None:
        department["standards"] = standards
    world = World(it=factories.make_department(**department))
    if hr or "hugo" in people:
        world.hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    slug, name = laptop
    world.laptop = factories.make_service(world.it, slug=slug, name=name, **(laptop_options or {}))
    for key in people:
        where = world.hr if key == "hugo" else world.it
        setattr(world, key, person(key, where, name=(names or {}).get(key)))
    return world


def person(key: str, department=None, *, name: str | None = None):
    """One of the desk's people (`NAMES`), with their role in `department` (none without)."""
    full_name, email, role = NAMES[key]
    roles = {department: role} if role and department is not None else {}
    return factories.make_user(name=name or full_name, email=email, roles=roles)


def two_desks() -> World:
    """IT and HR, each with its manager (Iris Novak for IT, Hugo Martin for HR), and Ivan
    Petrov, IT's agent: the manage pages' world, which a test file adds its services to."""
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    make = factories.make_user
    return World(
        it=it,
        hr=hr,
        iris=make(name="Iris Novak", email="iris@example.com", roles={it: "manager"}),
        hugo=make(name="Hugo Martin", email="hugo@example.com", roles={hr: "manager"}),
        ivan=make(name="Ivan Petrov", email="ivan@example.com", roles={it: "agent"}),
    )


def wall() -> World:
    """Three departments, five people (one an admin, one deactivated), three values."""
    it = factories.make_department(name="IT", slug="it")
    hr = factories.make_department(name="HR", slug="hr")
    sales = factories.make_department(name="Sales", slug="sales")
    erin = factories.make_user(name="Erin Walsh", email="erin@example.com", department_id=sales.id)
    ivan = factories.make_user(
        name="Ivan Petrov", email="ivan@example.com", department_id=it.id, roles={it: "agent"}
    )
    iris = factories.make_user(
        name="Iris Novak", email="iris@example.com", department_id=it.id, roles={it: "manager"}
    )
    hugo = factories.make_user(
        name="Hugo Lind", email="hugo@example.com", department_id=hr.id, roles={hr: "manager"}
    )
    ada = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    gone = factories.make_user(
        name="Gus Gone", email="gus@example.com", department_id=sales.id, active=False
    )
    values = []
    for n, name in enumerate(["Customer first", "Own it", "Better together"]):
        value = CompanyValue(
            name=name, description=f"{name}.", emoji="⭐", colour="blue", position=n
        )
        db.session.add(value)
        values.append(value)
    db.session.commit()
    return World(
        it=it,
        hr=hr,
        sales=sales,
        erin=erin,
        ivan=ivan,
        iris=iris,
        hugo=hugo,
        ada=ada,
        gone=gone,
        customer_first=values[0],
        own_it=values[1],
        together=values[2],
    )


def checkin() -> World:
    """The check-in: the IT desk (normal standard only, a "Laptop" service) with Iris, Ivan
    and Hugo (HR's manager), six customers whose requests were made ten days ago, Olga who
    asked for nothing, and Ivan's own request three days ago (staff are not invited)."""
    world = it_desk(
        standards={Priority.NORMAL: (240, 960)},
        laptop=("laptop", "Laptop"),
        people=("iris", "ivan", "hugo"),
        hr=True,
    )
    world.customers = [
        factories.make_user(name=f"Customer {i}", email=f"c{i}@example.com") for i in range(6)
    ]
    world.outsider = factories.make_user(name="Olga Outsider", email="olga@example.com")
    now = datetime.now(UTC)
    for person in world.customers:
        factories.make_request(world.laptop, person, now=now - timedelta(days=10))
    factories.make_request(world.laptop, world.ivan, now=now - timedelta(days=3))
    return world


def redis_url() -> str | None:
    """Redis on this machine (CI has it: TEST_REDIS_URL), or None."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(name="worlds")
def worlds_fixture(app):
    """This module, for a fixture that calls a builder with a detail of its own (no import
    needed in the test file)."""
    return sys.modules[__name__]


@pytest.fixture(name="it_desk")
def it_desk_fixture(app) -> World:
    return it_desk()


@pytest.fixture(name="wall")
def wall_fixture(app) -> World:
    return wall()


@pytest.fixture(name="smtp")
def smtp_fixture():
    """A real SMTP server on a loopback port (tests/notify_servers.py), for the test."""
    from tests.notify_servers import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(name="checkin")
def checkin_fixture(app) -> World:
    return checkin()


CACHES_ON = {"LIST_CACHE_SECONDS": 30, "DIRECTORY_CACHE_SECONDS": 60}


@pytest.fixture
def cached_app(request, app, build_app):
    """An app on the suite's database with every cache on (the request lists, the wall, the
    directory's fragments), pushed after the suite's app so the test runs in it, its caches
    empty before and after. Parametrize it indirectly with a dict of settings to change:
    `@pytest.mark.parametrize("cached_app", [{...}], indirect=True)`; with
    `"CACHE_TYPE": "RedisCache"` it uses TEST_REDIS_URL under a prefix of its own, and is
    skipped when Redis is not running."""
    settings = {**CACHES_ON, **getattr(request, "param", {})}
    if settings.get("CACHE_TYPE") == "RedisCache" and "CACHE_REDIS_URL" not in settings:
        url = redis_url()
        if url is None:
            pytest.skip("Redis is not running on this machine (TEST_REDIS_URL)")
        settings.update(CACHE_REDIS_URL=url, CACHE_KEY_PREFIX=f"inward-test-{token_hex(6)}:")
    other = build_app(**settings)
    with other.app_context():
        cache.clear()
        reader_cache.clear()
        yield other
        cache.clear()
        reader_cache.clear()


def new_starter() -> World:
    """HR, IT, Facilities and Security, each with one service, and HR's "New starter"
    bundle over them (its questions: name, start date, role, office); IT's accounts wait
    for HR's contract. Hugo manages HR, Hana is HR's agent, Ivan IT's agent, Erin works
    in none of them, Ada is an admin."""
    from portal.fulfilment.services import defining
    from portal.manage.services.form_builder import FieldChange

    make = factories.make_department
    hr = make(slug="hr", name="HR", key_prefix="HR")
    it = make(slug="it", name="IT", key_prefix="IT")
    facilities = make(slug="facilities", name="Facilities", key_prefix="FAC")
    security = make(slug="security", name="Security", key_prefix="SEC")
    contract = factories.make_service(hr, slug="contract", name="Contract and payroll")
    accounts = factories.make_service(it, slug="accounts", name="Laptop and accounts")
    desk = factories.make_service(facilities, slug="desk", name="Desk and chair")
    badge = factories.make_service(security, slug="badge", name="Building pass")
    factories.make_field(accounts, "full_name", label="Full name")
    factories.make_field(accounts, "first_day", "date", label="First day")
    user = factories.make_user
    world = World(
        hr=hr,
        it=it,
        facilities=facilities,
        security=security,
        contract=contract,
        accounts=accounts,
        desk=desk,
        badge=badge,
        hugo=user(name="Hugo Martin", email="hugo@example.com", roles={hr: "manager"}),
        hana=user(name="Hana Agent", email="hana@example.com", roles={hr: "agent"}),
        ivan=user(name="Ivan Petrov", email="ivan@example.com", roles={it: "agent"}),
        fay=user(name="Fay Facilities", email="fay@example.com", roles={facilities: "agent"}),
        sid=user(name="Sid Security", email="sid@example.com", roles={security: "agent"}),
        erin=user(name="Erin Walsh", email="erin@example.com"),
        ada=user(name="Ada Admin", email="ada@example.com", is_admin=True),
    )
    bundle = defining.create_bundle(
        world.hugo, hr, defining.BundleChange("New starter", "Everything a new colleague needs")
    )
    for label, kind, options in (
        ("Full name", "short_text", ""),
        ("Start date", "date", ""),
        ("Role", "short_text", ""),
        ("Office", "choice", "London\nLeeds"),
    ):
        defining.add_field(world.hugo, hr, bundle, FieldChange(label, kind, options=options))
    steps = {}
    for key, service, title in (
        ("contract", contract, "Contract signed"),
        ("accounts", accounts, "Accounts and laptop"),
        ("desk", desk, "Desk ready"),
        ("badge", badge, "Building pass"),
    ):
        steps[key] = defining.save_step(
            world.hugo, hr, bundle, defining.StepChange(service.id, title)
        )
    change = defining.StepChange(
        accounts.id,
        "Accounts and laptop",
        steps["contract"].id,
        {"full_name": "full_name", "first_day": "start_date"},
    )
    defining.save_step(world.hugo, hr, bundle, change, steps["accounts"].id)
    world.bundle = bundle
    world.steps = steps
    return world
