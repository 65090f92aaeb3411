"""Partners as a customer group of their own (issue 18, "Visible as partners"): the
department scorecard's "Who asked" groups and the value chain's "Partners and vendors" node
count guests' requests apart, and never under any department — even a guest whose user row
names a department."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.chain.services import mapping
from portal.extensions import db
from portal.feedback import ratings
from portal.insights import customer_groups as customer_groups_module
from portal.insights import export, rollup
from portal.insights.customer_groups import PARTNERS, customer_groups
from portal.models import ChainFlow, ChainPartnerFlow, RequestStatus
from portal.service_requests.services import lifecycle
from tests import factories
from tests.conftest import signed_in_client
from tests.statements import count_statements, sent_statements, sqlite_plan


@pytest.fixture
def world(app):
    fac = factories.make_department(slug="facilities", name="Facilities", key_prefix="FAC")
    sales = factories.make_department(slug="sales", name="Sales", key_prefix="SA")
    dock = factories.make_service(
        fac, slug="book-a-dock", name="Book a loading dock", open_to_partners=True
    )
    frank = factories.make_user(
        email="frank@example.com", name="Frank Agent", department_id=fac.id,
        roles={fac: "agent"},
    )
    erin = factories.make_user(email="erin@example.com", name="Erin Seller",
                               department_id=sales.id)
    nina = factories.make_guest(fac, email="nina@northwind.example", name="Nina Partner")
    # A guest whose account row names a department still counts as a partner.
    olaf = factories.make_guest(fac, organisation="Contoso <b>Freight</b>",
                                email="olaf@contoso.example", name="Olaf Vendor",
                                department_id=sales.id)
    return dict(fac=fac, sales=sales, dock=dock, frank=frank, erin=erin, nina=nina, olaf=olaf)


def _served(world, requester, count: int, score: int | None = None) -> None:
    for _ in range(count):
        sr = factories.make_request(world["dock"], requester)
        lifecycle.change_status(sr, world["frank"], RequestStatus.RESOLVED)
        if score is not None:
            ratings.rate(requester, sr, str(score))


@pytest.fixture
def served(world):
    _served(world, world["erin"], 5, score=3)
    _served(world, world["nina"], 5, score=5)
    _served(world, world["olaf"], 1)
    factories.make_request(world["dock"], world["nina"])  # asked, still open
    rollup.refresh(full=True)
    return world


def test_guests_requests_count_in_the_partner_group_and_in_no_department(served):
    groups = {g.group: g for g in customer_groups(served["fac"], 30)}
    assert list(groups) == ["Sales", PARTNERS]
    sales, partners = groups["Sales"], groups[PARTNERS]
    assert (sales.asked, sales.resolved, sales.ratings) == (5, 5, 5)
    assert (partners.asked, partners.resolved, partners.ratings) == (7, 6, 5)
    assert partners.partner and not sales.partner
    assert partners.resolution.within is not None and partners.resolution.median is not None
    assert partners.average_rating == 5.0 and sales.average_rating == 3.0
    assert [(o.group, o.asked) for o in partners.organisations] == [
        ("Northwind Logistics", 6), ("Contoso <b>Freight</b>", 1),
    ]
    northwind, contoso = partners.organisations
    assert northwind.average_rating == 5.0
    assert contoso.resolution.median is None and contoso.average_rating is None  # too few


def test_asked_counts_are_live_and_the_measures_those_of_the_last_refresh(served):
    """The window's measures are read once per refresh of the rollup (they change only
    then) and kept; what was asked is read on every view."""
    customer_groups(served["fac"], 30)
    with count_statements() as statements:
        before = {g.group: g for g in customer_groups(served["fac"], 30)}
    assert not any("request_measure" in s for s in statements)  # kept since the first view
    _served(served, served["erin"], 1)  # asked and resolved, not yet in the rollup
    now = {g.group: g for g in customer_groups(served["fac"], 30)}
    assert (now["Sales"].asked, now["Sales"].resolved) == (6, before["Sales"].resolved)
    assert before["Sales"].resolution.count == 5  # the second view: nothing added twice
    rollup.refresh()
    after = {g.group: g for g in customer_groups(served["fac"], 30)}
    assert (after["Sales"].asked, after["Sales"].resolved) == (6, 6)


def test_no_partner_group_when_no_partner_asked(world):
    _served(world, world["erin"], 2)
    rollup.refresh(full=True)
    assert [g.group for g in customer_groups(world["fac"], 30)] == ["Sales"]


def test_a_department_asking_itself_and_people_without_one_are_groups_too(world):
    _served(world, world["frank"], 1)
    factories.make_request(world["dock"], factories.make_user(email="x@example.com"))
    rollup.refresh(full=True)
    groups = {g.group: g.asked for g in customer_groups(world["fac"], 30)}
    assert groups == {"Facilities": 1, "Colleagues without a department": 1}


@pytest.mark.parametrize("listed_up_to", [40, 3], ids=["names-of-the-listed", "every-name"])
def test_beyond_eight_departments_the_rest_are_summed(world, monkeypatch, listed_up_to):
    # 11 departments asked: their names read by listing them, or every department's read.
    monkeypatch.setattr(customer_groups_module, "NAMES_LISTED_UP_TO", listed_up_to)
    factories.make_department(slug="quiet", name="Quiet, never asked", key_prefix="QU")
    for n in range(10):
        dept = factories.make_department(slug=f"d{n}", name=f"Dept {n:02}", key_prefix=f"D{n}")
        person = factories.make_user(email=f"p{n}@example.com", department_id=dept.id)
        for _ in range(n + 1):
            factories.make_request(world["dock"], person)
    groups = customer_groups(world["fac"], 90)
    assert [g.group for g in groups][:2] == ["Dept 09", "Dept 08"]
    assert groups[-1].group == "Other departments" and groups[-1].asked == 1 + 2
    assert len(groups) == 9
    assert "Quiet, never asked" not in [g.group for g in groups]


def test_the_scorecard_page_shows_the_partner_group(served, app):
    client = signed_in_client(app, served["erin"])
    page = client.get("/d/facilities/scorecard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Customer groups, last 30 days" in html
    assert "never under a department" in html
    assert 'class="customer-groups__partners"' in html
    assert "Contoso &lt;b&gt;Freight&lt;/b&gt;" in html and "<b>Freight" not in html
    assert "5.0 / 5" in html and "3.0 / 5" in html
    fragment = client.get("/d/facilities/scorecard?days=90", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert "Customer groups, last 90 days" in text and "Northwind Logistics" in text


def test_the_scorecard_csv_has_who_asked_as_a_section_of_its_own(served):
    text = export.scorecard_csv(served["fac"])
    sections = [list(csv.reader(io.StringIO(part))) for part in text.split("\r\n\r\n")]
    assert [s[0][:2] for s in sections] == [
        ["window_days", "priority"], ["week_starting", "resolved"],
        ["window_days", "customer_group"],
    ]
    header, *rows = sections[2]
    assert header[2:5] == ["organisation", "requests", "resolved"]
    thirty = [r[1:5] for r in rows if r[0] == "30"]
    assert thirty == [
        ["Sales", "", "5", "5"],
        [PARTNERS, "", "7", "6"],
        [PARTNERS, "Northwind Logistics", "6", "5"],
        [PARTNERS, "Contoso <b>Freight</b>", "1", "1"],
    ]
    assert [r[0] for r in rows] == ["30"] * 4 + ["90"] * 4
    contoso = rows[3]
    assert contoso[5:] == ["", "", "", "0"]  # too few to show, as on the page
    assert rows[2][7:] == ["5.0", "5"]


def test_the_refresh_observes_partners_apart_from_every_department(served):
    flows = db.session.scalars(select(ChainFlow)).all()
    assert {(f.window_days, f.asking_id, f.serving_id, f.asked) for f in flows} == {
        (30, served["sales"].id, served["fac"].id, 5),
        (90, served["sales"].id, served["fac"].id, 5),
    }  # Olaf's department (Sales) does not carry his request
    partner = {f.window_days: f for f in db.session.scalars(select(ChainPartnerFlow))}
    assert set(partner) == {30, 90}
    assert partner[30].serving_id == served["fac"].id
    assert (partner[30].asked, partner[30].resolved, partner[30].rating_count) == (7, 6, 5)
    assert partner[30].median_minutes is not None


def test_the_map_draws_partners_as_a_node_of_their_own(served):
    chain_map = mapping.build_map(90)
    names = {n.id: n.name for n in chain_map.nodes}
    assert names[mapping.PARTNERS_NODE] == "Partners and vendors"
    edge = next(e for e in chain_map.edges if e.client == mapping.PARTNERS_NODE)
    assert (edge.server, edge.asked, edge.declared) == (served["fac"].id, 7, False)
    partners = chain_map.node(mapping.PARTNERS_NODE)
    facilities = chain_map.node(served["fac"].id)
    assert partners.x > facilities.x  # partners are served: to the right
    focused = mapping.build_map(90, served["sales"].id)
    assert mapping.PARTNERS_NODE not in {n.id for n in focused.nodes}


def test_the_chain_pages_show_the_partners_node_in_the_svg_and_the_table(served, app):
    client = signed_in_client(app, served["erin"])
    html = client.get("/chain").get_data(as_text=True)
    svg, table = html.split("<table", 1)
    assert 'class="chain-node chain-node--partners" tabindex="0" role="img"' in svg
    assert ">Partners and vendors</title>" in svg and "counted apart from every" in svg
    assert "departments and" in svg and "besides the departments, partners and vendors" in svg
    assert "Facilities serves Partners and vendors: not declared; 7 requests in 90 days" in svg
    assert "Partners and vendors" in table and 'href="/chain/partners' not in html
    focused = client.get("/chain/facilities").get_data(as_text=True)
    assert "Partners and vendors" in focused.split("<table", 1)[1]
    assert "Partners and vendors" not in client.get("/chain/sales").get_data(as_text=True).split(
        "<table", 1)[-1]
    page = client.get("/chain/facilities?page=1", headers={"HX-Request": "true"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" not in text and "Partners and vendors" in text


def test_guests_still_get_404_on_the_chain_and_the_scorecard(served, app):
    client = signed_in_client(app, served["nina"])
    for path in ("/chain", "/chain/facilities", "/d/facilities/scorecard",
                 "/d/facilities/scorecard?days=90"):
        assert client.get(path).status_code == 404, path


def test_the_department_page_says_it_serves_partners_and_vendors(served, app):
    from portal.chain.services.neighbours import neighbourhood

    hood = neighbourhood(served["fac"].id)
    assert [(n.name, n.asked, n.slug) for n in hood.serves] == [
        ("Sales", 5, "sales"), ("Partners and vendors", 7, None),
    ]
    html = signed_in_client(app, served["erin"]).get("/d/facilities").get_data(as_text=True)
    strip = html.split('id="chain-strip-title"')[1].split("</section>")[0]
    assert "Partners and vendors" in strip and "7 requests in 90 days" in strip


def test_who_asked_reads_the_window_from_an_index_not_every_request(served):
    """The asking counts take the window's requests and requesters from the index on
    (department, created, requester): the bench's busiest department has 50,000 requests,
    of which the window holds a fifth."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with sent_statements() as sent:
        customer_groups(served["fac"], 90)
    asking = [one for one in sent if "FROM service_request JOIN user_account" in one[0]]
    assert len(asking) == 2  # the window up to the refresh (then kept), and what came since
    for one in asking:
        plan = sqlite_plan([one], "FROM service_request")
        assert "ix_service_request_department_created_requester" in plan, plan


def test_asking_counts_are_exact_at_every_instant_after_a_refresh(world):
    """Kept up to the refresh, then what was asked since added and what left the window
    taken off: the counts a view shows are those a full read would give at that instant."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for hours, requester in [(0, "erin"), (5, "nina"), (30, "erin"), (45, "olaf")]:
        factories.make_request(world["dock"], world[requester], now=start + timedelta(hours=hours))
    rollup.refresh(now=start + timedelta(days=1, hours=20), full=True)  # after three of four
    factories.make_request(world["dock"], world["erin"], now=start + timedelta(days=3))

    def asked(at: datetime) -> dict[str, int]:
        groups = customer_groups(world["fac"], 2, now=at)
        return {g.group: g.asked for g in groups} | {
            o.group: o.asked for g in groups for o in g.organisations
        }

    at = start + timedelta(hours=46)  # every one in the window; olaf's since the refresh
    assert asked(at) == {"Sales": 2, PARTNERS: 2, "Northwind Logistics": 1,
                         "Contoso <b>Freight</b>": 1}
    at = start + timedelta(hours=54)  # erin's first and nina's have left the window
    assert asked(at) == {"Sales": 1, PARTNERS: 1, "Contoso <b>Freight</b>": 1}
    at = start + timedelta(hours=79)  # erin's second has left; her third came
    assert asked(at) == {"Sales": 1, PARTNERS: 1, "Contoso <b>Freight</b>": 1}
    at = start + timedelta(days=4)  # the refresh is older than the window: all read now
    assert asked(at) == {"Sales": 1}
