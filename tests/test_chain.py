"""The value chain (issue 17): declared links on the manage page, observed links from the
insights refresh, the map, a person's chain, company goals. Each bad input is a test."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.chain.services import declaring, goals, mapping, observing, reaching
from portal.chain.services.neighbours import neighbourhood
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.insights import rollup
from portal.models import AuditEntry, ChainFlow, ChainLink, Department, RequestStatus
from portal.service_requests.services import lifecycle
from tests import factories
from tests.conftest import csrf_token_from
from tests.statements import count_statements, sent_statements, sqlite_plan


@pytest.fixture
def org(app):
    """IT (Iris manages, Ivan works there), Sales (Erin), Customer Support, and an archived
    department."""
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    sales = factories.make_department(slug="sales", name="Sales", key_prefix="SA")
    support = factories.make_department(
        slug="customer-support", name="Customer Support", key_prefix="CS"
    )
    old = factories.make_department(slug="old", name="Old Team", key_prefix="OT", active=False)
    iris = factories.make_user(
        name="Iris Novak", email="iris@example.com", department_id=it.id, roles={it: "manager"}
    )
    ivan = factories.make_user(
        name="Ivan Petrov", email="ivan@example.com", department_id=it.id, roles={it: "agent"}
    )
    erin = factories.make_user(name="Erin Walsh", email="erin@example.com", department_id=sales.id)
    sam = factories.make_user(
        name="Sam Seller", email="sam@example.com", department_id=sales.id, roles={sales: "manager"}
    )
    ada = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    laptop = factories.make_service(it, slug="new-laptop", name="New laptop")
    return dict(it=it, sales=sales, support=support, old=old, iris=iris, ivan=ivan, erin=erin,
                sam=sam, ada=ada, laptop=laptop)


def link(change_by, department, other, direction="serves", reason="because"):
    return declaring.declare_link(
        change_by,
        department,
        declaring.LinkChange(
            direction=direction,
            external=other is None,
            other_id=None if other is None else other.id,
            reason=reason,
        ),
    )


# Declared links ----------------------------------------------------------------------------


def test_a_manager_declares_whom_the_department_serves_and_relies_on(org):
    link(org["iris"], org["it"], org["sales"], reason="laptops and accounts")
    link(org["sam"], org["sales"], None, reason="we sell to them")
    link(org["sam"], org["sales"], org["it"], direction="relies", reason="laptops (again)")
    rows = db.session.execute(
        select(ChainLink.server_id, ChainLink.client_id, ChainLink.reason)
    ).all()
    # "Sales relies on IT" is the same link as "IT serves Sales": re-worded, not doubled.
    assert sorted(rows, key=str) == sorted(
        [
            (org["it"].id, org["sales"].id, "laptops (again)"),
            (org["sales"].id, None, "we sell to them"),
        ],
        key=str,
    )
    declared = select(func.count()).where(AuditEntry.action == "chain.link_declare")
    assert db.session.scalar(declared) == 3
    links = declaring.links_of(org["sales"])
    assert [r.client_id for r in links.serves] == [None]
    assert [r.server.name for r in links.relies_on] == ["IT"]


def test_a_link_to_itself_is_refused_beside_the_field(org):
    with pytest.raises(Refused) as refused:
        link(org["iris"], org["it"], org["it"])
    assert refused.value.field == "other"


def test_a_link_to_an_archived_department_is_refused(org):
    with pytest.raises(Refused) as refused:
        link(org["iris"], org["it"], org["old"])
    assert refused.value.field == "other" and "archived" in refused.value.message


def test_relying_on_external_customers_is_refused(org):
    with pytest.raises(Refused) as refused:
        link(org["iris"], org["it"], None, direction="relies")
    assert refused.value.field == "other"


def test_only_a_manager_declares(org):
    with pytest.raises(NotFound):
        link(org["ivan"], org["it"], org["sales"])
    with pytest.raises(NotFound):
        link(org["sam"], org["it"], org["sales"])


def test_the_manage_page_refuses_a_link_to_itself_with_422_and_keeps_the_input(org, client, login):
    login(org["iris"])
    token = csrf_token_from(client.get("/manage/it").get_data(as_text=True))
    response = client.post(
        "/manage/it/chain/links",
        data={"csrf_token": token, "direction": "serves", "other": str(org["it"].id),
              "reason": "my own words"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html and 'id="chain-section"' in html
    assert "cannot serve itself" in html and 'value="my own words"' in html


def test_the_manage_page_refuses_an_archived_department_without_htmx(org, client, login):
    login(org["iris"])
    token = csrf_token_from(client.get("/manage/it").get_data(as_text=True))
    response = client.post(
        "/manage/it/chain/links",
        data={"csrf_token": token, "direction": "serves", "other": str(org["old"].id),
              "reason": "gone"},
    )
    assert response.status_code == 422
    assert "<html" in response.get_data(as_text=True)
    assert "archived" in response.get_data(as_text=True)


def test_the_manage_page_declares_and_removes_a_link(org, client, login):
    login(org["iris"])
    token = csrf_token_from(client.get("/manage/it").get_data(as_text=True))
    response = client.post(
        "/manage/it/chain/links",
        data={"csrf_token": token, "direction": "serves", "other": str(org["sales"].id),
              "reason": "laptops"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/manage/it#chain-section")
    found = db.session.scalar(select(ChainLink))
    response = client.post(
        f"/manage/it/chain/links/{found.id}/remove",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Removed: IT serves Sales." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(ChainLink)) == 0


# Observed links ----------------------------------------------------------------------------


def test_the_insights_refresh_observes_who_asks_whom(org):
    now = clock.now()
    for n in range(3):
        sr = factories.make_request(org["laptop"], org["erin"], now=now - timedelta(days=2 + n))
        if n < 2:
            lifecycle.change_status(sr, org["ivan"], RequestStatus.RESOLVED)
    factories.make_request(org["laptop"], org["erin"], now=now - timedelta(days=60))
    factories.make_request(org["laptop"], org["ivan"], now=now - timedelta(days=1))  # IT asks IT
    rollup.refresh(full=True)
    rows = {
        r.window_days: r
        for r in db.session.scalars(select(ChainFlow).order_by(ChainFlow.window_days))
    }
    assert set(rows) == {30, 90}
    assert (rows[30].asking_id, rows[30].serving_id) == (org["sales"].id, org["it"].id)
    assert rows[30].asked == 3 and rows[90].asked == 4
    assert rows[30].resolved == 2 and rows[30].median_minutes is not None
    hood = neighbourhood(org["it"].id)
    assert [n.name for n in hood.serves] == ["Sales"] and hood.serves[0].asked == 4


def _flows(days=90) -> dict[tuple[str, str], ChainFlow]:
    names = {d.id: d.slug for d in db.session.scalars(select(Department))}
    return {
        (names[f.asking_id], names[f.serving_id]): f
        for f in db.session.scalars(select(ChainFlow).where(ChainFlow.window_days == days))
    }


def test_a_transfer_counts_as_a_hand_off_between_the_two_departments(org):
    """Erin (Sales) asks IT, which hands it to Support: Sales → Support is Erin's ask, and
    IT → Support a hand-off. Ivan's own request IT hands on is IT → Support once."""
    now = clock.now()
    asked = factories.make_request(org["laptop"], org["erin"], now=now - timedelta(days=40))
    lifecycle.transfer(asked, org["ivan"], org["support"], now=now - timedelta(days=5))
    own = factories.make_request(org["laptop"], org["ivan"], now=now - timedelta(days=2))
    lifecycle.transfer(own, org["ivan"], org["support"], now=now - timedelta(days=1))
    observing.refresh_observed(now)
    flows = _flows(90)
    assert (flows["sales", "customer-support"].asked, flows["sales", "customer-support"].handoffs) \
        == (1, 0)
    assert (flows["it", "customer-support"].asked, flows["it", "customer-support"].handoffs) \
        == (2, 2)
    assert ("sales", "it") not in flows  # IT no longer serves it
    short = _flows(30)
    assert ("sales", "customer-support") not in short  # asked 40 days ago
    assert (short["it", "customer-support"].asked, short["it", "customer-support"].handoffs) \
        == (2, 2)


def _sales_bundle(org):
    from portal.fulfilment.services import defining

    bundle = defining.create_bundle(org["sam"], org["sales"], defining.BundleChange("New client"))
    defining.save_step(
        org["sam"], org["sales"], bundle, defining.StepChange(org["laptop"].id, "Demo laptop")
    )
    return bundle


def test_a_bundle_child_is_a_hand_off_from_the_bundles_department(org):
    """Sales' bundle files with IT: a hand-off Sales → IT, whoever started it (Ada the
    admin belongs to no department: by her department it would not count at all)."""
    from portal.fulfilment.services import starting

    bundle = _sales_bundle(org)
    for n, who in enumerate((org["sam"], org["ada"])):
        starting.start_bundle(bundle, who, starting.Start(form_token=f"b{n}"))
    factories.make_request(org["laptop"], org["erin"])  # a plain ask, no hand-off
    rollup.refresh(full=True)
    flow = _flows(90)["sales", "it"]
    assert (flow.asked, flow.handoffs) == (3, 2)
    assert _flows(30)["sales", "it"].handoffs == 2


def test_the_map_and_table_say_how_many_are_hand_offs(org, client, login):
    from portal.fulfilment.services import starting

    link(org["iris"], org["it"], org["sales"], reason="laptops")
    starting.start_bundle(_sales_bundle(org), org["sam"], starting.Start(form_token="b"))
    factories.make_request(org["laptop"], org["erin"])
    observing.refresh_observed()
    login(org["erin"])
    html = client.get("/chain").get_data(as_text=True)
    said = "IT serves Sales: declared (“laptops”); 2 requests in 90 days (1 of them hand-off)"
    assert said in html
    assert '<td data-label="Requests">2 <span class="muted">(1 hand-off)</span></td>' in html


def test_observing_reads_in_one_pass_however_many_hand_offs(org):
    """Five grouped reads (three for the departments' links, two for the partners'),
    whatever the number of transfers and children (no N+1)."""
    from portal.fulfilment.services import starting

    bundle = _sales_bundle(org)

    def counted() -> list[str]:
        with count_statements() as statements:
            observing.refresh_observed()
        return [s for s in statements if s.lstrip().upper().startswith("SELECT")]

    starting.start_bundle(bundle, org["sam"], starting.Start(form_token="b0"))
    sr = factories.make_request(org["laptop"], org["erin"])
    lifecycle.transfer(sr, org["ivan"], org["support"])
    few = counted()
    for n in range(1, 6):
        starting.start_bundle(bundle, org["sam"], starting.Start(form_token=f"b{n}"))
        sr = factories.make_request(org["laptop"], org["erin"])
        lifecycle.transfer(sr, org["ivan"], org["support"])
    assert len(counted()) == len(few) == 5


# The map -------------------------------------------------------------------------------------


def test_the_map_tells_declared_from_observed_and_links_each_department(org, client, login):
    link(org["iris"], org["it"], org["sales"], reason="laptops")
    link(org["iris"], org["it"], org["support"], reason="phones")
    link(org["sam"], org["sales"], None, reason="we sell")
    factories.make_request(org["laptop"], org["erin"])
    observing.refresh_observed()
    login(org["erin"])
    html = client.get("/chain").get_data(as_text=True)
    assert 'aria-describedby="chain-svg-desc"' in html and '<title id="chain-svg-title">' in html
    assert "<figcaption>" in html
    assert 'href="/chain/it"' in html and 'href="/chain/sales"' in html
    assert "External customers" in html
    assert "IT serves Sales: declared (“laptops”); 1 request in 90 days" in html
    focused = client.get("/chain/customer-support").get_data(as_text=True)
    assert "Who Customer Support serves and relies on" in focused
    assert "External customers" not in focused.split("<table")[1]
    assert client.get("/chain/old").status_code == 404


def _observed(org, department, count, now=None):
    """`count` requests from `department`'s own person to IT."""
    person = factories.make_user(
        name=f"Asker {department.slug}", email=f"asker-{department.slug}@example.com",
        department_id=department.id,
    )
    for _ in range(count):
        factories.make_request(org["laptop"], person, now=now)


def test_the_map_draws_declared_and_busier_observed_links_and_can_draw_all(org, client, login):
    """A one-off ask is in the table, not drawn, until "Draw every observed link" (a
    plain link, or an htmx swap of the map and its table)."""
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    link(org["iris"], org["it"], org["support"], reason="phones")
    _observed(org, org["sales"], 20)  # busy: drawn, dashed
    _observed(org, hr, 1)  # a one-off: not drawn by default
    observing.refresh_observed()
    chain_map = mapping.build_map(90)
    drawn = {(chain_map.node(e.server).name, chain_map.node(e.client).name): e.drawn
             for e in chain_map.edges}
    assert drawn == {("IT", "Sales"): True, ("IT", "Customer Support"): True, ("IT", "HR"): False}
    assert (chain_map.observed_threshold, chain_map.hidden) == (5, 1)
    assert all(e.drawn for e in mapping.build_map(90, show_all=True).edges)
    login(org["erin"])
    html = client.get("/chain").get_data(as_text=True)
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "IT serves Sales" in svg and "IT serves HR" not in svg
    assert "IT serves Customer Support" in svg
    assert '<th scope="row" data-label="Serves"><a href="/chain/it">IT</a></th>' in html
    assert html.count('<a href="/chain/hr">HR</a></td>') == 1  # the table has it
    assert "1 link seen only in a few requests is not drawn (fewer than 5 requests each)" in html
    assert 'href="/chain?days=90&amp;links=all"' in html
    every = client.get("/chain?days=90&links=all")
    assert every.status_code == 200
    svg = every.get_data(as_text=True).split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "IT serves HR" in svg
    assert "Draw only the busier ones" in every.get_data(as_text=True)
    swap = client.get(
        "/chain?days=90&links=all", headers={"HX-Request": "true", "HX-Target": "chain-views"}
    )
    fragment = swap.get_data(as_text=True)
    assert swap.status_code == 200 and "<html" not in fragment
    assert "IT serves HR" in fragment and 'id="chain-table"' in fragment
    assert 'id="chain-links-toggle"' in fragment
    pager = client.get("/chain?page=1", headers={"HX-Request": "true"})
    assert "<svg" not in pager.get_data(as_text=True)  # the pager swaps the table alone
    # A bad value is the default map, never an error.
    assert client.get("/chain?links=%00").status_code == 200


def test_names_with_markup_are_escaped_in_the_svg(org, client, login):
    bad = factories.make_department(slug="bad", name='<script>alert(1)</script>"&', key_prefix="BD")
    link(org["iris"], org["it"], bad, reason="<b>bold</b>")
    login(org["erin"])
    html = client.get("/chain").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_three_hundred_departments_and_two_thousand_links_render_and_paginate(app, client, login):
    from bench.chain import big_chain

    people = big_chain(300, 2000)
    login(people)
    response = client.get("/chain")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="chain-node') >= 300
    assert "page 1 of 40" in html and 'rel="next"' in html
    page = client.get("/chain?page=40", headers={"HX-Request": "true"})
    assert page.status_code == 200 and "<html" not in page.get_data(as_text=True)
    assert "page 40 of 40" in page.get_data(as_text=True)


def test_cycles_are_laid_out(org):
    link(org["iris"], org["it"], org["sales"])
    link(org["sam"], org["sales"], org["it"])
    chain_map = mapping.build_map(90)
    xs = {n.name: n.x for n in chain_map.nodes}
    assert xs["IT"] != xs["Sales"] and len(chain_map.edges) == 2


# Your chain --------------------------------------------------------------------------------


def test_your_chain_goes_along_declared_links_to_external_customers(org, client, login):
    link(org["iris"], org["it"], org["sales"])
    link(org["iris"], org["it"], org["support"])
    link(org["sam"], org["sales"], None)
    chains = reaching.chains_from(org["it"].id)
    assert [[s.name for s in c] for c in chains] == [["IT", "Sales", "External customers"]]
    login(org["ivan"])
    html = client.get(f"/people/{org['ivan'].id}").get_data(as_text=True)
    assert "How your work reaches customers" in html
    assert "Ivan →" in html and "external customers" in html
    erin = client.get(f"/people/{org['erin'].id}").get_data(as_text=True)
    assert "How Erin’s work reaches customers" in erin


# Goals ---------------------------------------------------------------------------------------


def goal_change(**kw):
    today = clock.now().date()
    values = dict(title="New hires productive in their first week",
                  target="90 % of new starters have a laptop on day one",
                  owner_email="iris@example.com", starts_on=today.isoformat(),
                  ends_on=(today + timedelta(days=90)).isoformat())
    values.update(kw)
    return goals.GoalChange(**values)


def test_an_admin_publishes_a_goal_and_a_department_links_a_service(org, client, login):
    goal = goals.publish_goal(org["ada"], goal_change())
    goals.contribute(org["iris"], org["it"], goals.ContributionChange(
        goal_id=goal.id, service_id=org["laptop"].id, how="laptops on day one"))
    login(org["erin"])
    html = client.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "New laptop" in html and "IT" in html and "laptops on day one" in html
    assert "New hires productive" in client.get("/d/it").get_data(as_text=True)


@pytest.mark.parametrize("ends_on", ["2020-01-01", "next spring", ""])
def test_a_goal_ending_in_the_past_or_unparseable_is_refused(org, ends_on):
    with pytest.raises(Refused) as refused:
        goals.publish_goal(org["ada"], goal_change(ends_on=ends_on))
    assert refused.value.field == "ends_on"


def test_a_target_without_a_measure_is_refused(org):
    with pytest.raises(Refused) as refused:
        goals.publish_goal(org["ada"], goal_change(target="be better"))
    assert refused.value.field == "target"


def test_the_goals_page_refuses_a_past_target_with_422(org, client, login):
    login(org["ada"])
    token = csrf_token_from(client.get("/goals").get_data(as_text=True))
    response = client.post("/goals", data={
        "csrf_token": token, "title": "Refunds fast", "target": "2 days",
        "owner": "iris@example.com", "ends_on": "2001-01-01"})
    assert response.status_code == 422 and "ends in the past" in response.get_data(as_text=True)


def test_only_admins_publish_goals(org):
    with pytest.raises(NotFound):
        goals.publish_goal(org["iris"], goal_change())


def test_linking_to_a_closed_goal_is_refused(org):
    goal = goals.publish_goal(org["ada"], goal_change())
    goal.ends_on = clock.now().date() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        goals.contribute(org["iris"], org["it"], goals.ContributionChange(
            goal_id=goal.id, service_id=None, how=""))
    assert refused.value.field == "goal"


def test_the_whole_map_is_laid_out_once_per_refresh_within_its_lifetime(org, app, monkeypatch):
    """A map of 300 departments takes most of a second to lay out: it is kept for
    CHAIN_MAP_CACHE_SECONDS under the chain's stamp, and a refresh of the observed links
    (or a declared link) makes the next reader lay it out again."""
    app.config.update(RENDERED_CACHE=True, CHAIN_MAP_CACHE_SECONDS=60, DIRECTORY_CACHE_SECONDS=1)
    built = []
    real = mapping.build_map
    monkeypatch.setattr(mapping, "build_map", lambda *a, **k: built.append(a) or real(*a, **k))
    _observed(org, org["sales"], 6)
    observing.refresh_observed()
    db.session.commit()
    first = mapping.cached_map(90)
    time.sleep(1.1)  # past the directory's fragments' lifetime, within the map's
    again = mapping.cached_map(90)
    assert len(built) == 1 and [e.asked for e in again.edges] == [e.asked for e in first.edges]
    link(org["iris"], org["it"], org["support"], reason="phones")
    assert {e.declared for e in mapping.cached_map(90).edges} == {True, False}
    assert len(built) == 2


def _busy_server(org) -> list:
    """IT serves five more departments, each seen only in requests (5, 4, 3, 2, 1 asked in
    90 days), besides Sales (declared, asked nothing)."""
    others = [
        factories.make_department(slug=f"team-{n}", name=f"Team {n}", key_prefix=f"T{n}")
        for n in range(5)
    ]
    db.session.add(ChainLink(server_id=org["it"].id, client_id=org["sales"].id,
                             reason="Their laptops", declared_by_id=org["it"].id))
    for asked, other in zip((5, 4, 3, 2, 1), others, strict=True):
        db.session.add(ChainFlow(window_days=90, asking_id=other.id, serving_id=org["it"].id,
                                 asked=asked, resolved=0, within_promise=0, rating_sum=0,
                                 rating_count=0))
    db.session.commit()
    return others


def test_the_department_strip_shows_the_declared_and_the_three_busiest_observed(org):
    _busy_server(org)
    hood = neighbourhood(org["it"].id)
    assert [n.name for n in hood.serves] == ["Sales", "Team 0", "Team 1", "Team 2"]
    assert hood.more_serves == 2
    assert [n.name for n in neighbourhood(org["sales"].id).relies_on] == ["IT"]


def test_the_strip_counts_and_ranks_each_side_from_an_index_not_every_flow(org):
    """Each side's busiest and how many, as subqueries on the side's own index (migration
    0034): no window function re-reading the side, no count over every flow of the window."""
    _busy_server(org)
    with sent_statements() as sent:
        hood = neighbourhood(org["it"].id)
    assert [n.name for n in hood.serves][1:] == ["Team 0", "Team 1", "Team 2"]
    assert hood.more_serves == 2
    [(statement, _)] = [(s, p) for s, p in sent if "chain_flow" in s and "UNION ALL" in s]
    assert " OVER " not in statement
    if db.engine.dialect.name == "sqlite":  # (a scan of this test's few departments may lead)
        plan = sqlite_plan(sent, "UNION ALL")
        assert "ix_chain_flow_serving (serving_id=? AND window_days=?" in plan, plan
        assert "uq_chain_flow (window_days=?)" not in plan, plan  # every flow of the window


def test_the_busiest_observed_ties_go_by_name_and_a_declared_links_flows_are_its_own(org):
    """The database ranks each side's links seen only in requests and returns those that
    can be among the three busiest: a tie at the third place is settled by name, case
    aside, and a declared link's own flow adds to it (not to the ranking or the count)."""
    asked_by_name = {
        "Sales": 9, "Kappa": 8, "Zeta": 5, "delta": 3, "Alpha": 3, "beta": 3, "Omega": 1
    }
    for n, (name, asked) in enumerate(asked_by_name.items()):
        other = org["sales"] if name == "Sales" else factories.make_department(
            slug=f"tie-{n}", name=name, key_prefix=f"Q{n}"
        )
        if name in {"Sales", "Kappa"}:  # declared, and the busiest of all
            db.session.add(ChainLink(server_id=org["it"].id, client_id=other.id,
                                     reason="Declared", declared_by_id=org["it"].id))
        db.session.add(ChainFlow(window_days=90, asking_id=other.id, serving_id=org["it"].id,
                                 asked=asked, resolved=0, within_promise=0, rating_sum=0,
                                 rating_count=0))
    db.session.commit()
    hood = neighbourhood(org["it"].id)
    assert [n.name for n in hood.serves] == ["Sales", "Kappa", "Zeta", "Alpha", "beta"]
    assert [(n.declared, n.asked) for n in hood.serves[:2]] == [(True, 9), (True, 8)]
    assert hood.more_serves == 2  # delta and Omega


def test_the_neighbourhood_reads_each_side_from_an_index(org):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    _busy_server(org)
    with sent_statements() as sent:
        neighbourhood(org["it"].id)
    plan = sqlite_plan(sent, "chain_flow")
    # Each side found through an index on its department (which one, and whether SQLite
    # goes from the departments to the flows, depends on the tables' statistics), never
    # by reading every flow of the window.
    assert "SCAN chain_flow" not in plan, plan
    assert "uq_chain_flow (window_days=?)" not in plan, plan


def test_your_chain_shows_the_first_three_shortest_by_name_and_survives_cycles(org):
    """Four chains of two links (through Delta, Beta, Alpha and Sales) and a longer one
    (IT → Support → Sales → …): the three shortest first by name; a cycle (Sales serves
    IT back) changes nothing."""
    ada = org["ada"]
    teams = {n: factories.make_department(slug=n.lower(), name=n, key_prefix=n[:2].upper())
             for n in ("Delta", "Beta", "Alpha")}
    for client in (*teams.values(), org["sales"], org["support"]):
        link(ada, org["it"], client)
    for team in (*teams.values(), org["sales"]):
        link(ada, team, None)
    link(ada, org["support"], org["sales"])
    link(ada, org["sales"], org["it"])
    chains = reaching.chains_from(org["it"].id)
    assert [[s.name for s in c] for c in chains] == [
        ["IT", "Alpha", "External customers"],
        ["IT", "Beta", "External customers"],
        ["IT", "Delta", "External customers"],
    ]
    assert reaching.chains_from(org["support"].id) == [
        [reaching.Step("Customer Support", "customer-support"), reaching.Step("Sales", "sales"),
         reaching.Step("External customers", None)]
    ]


def test_layers_follow_the_longest_way_to_the_customer(org):
    """IT serves Sales, Sales and Support serve external customers, IT serves Support: IT in
    the first column, Sales and Support in the next, external customers last; a department
    that only asked (no declared link) stands in a column of its own on the left."""
    link(org["iris"], org["it"], org["sales"])
    link(org["iris"], org["it"], org["support"])
    link(org["sam"], org["sales"], None)
    link(org["ada"], org["support"], None)
    lonely = factories.make_department(slug="lonely", name="Lonely", key_prefix="LO")
    db.session.add(ChainFlow(window_days=90, asking_id=lonely.id, serving_id=org["it"].id,
                             asked=1, resolved=0, within_promise=0, rating_sum=0,
                             rating_count=0))
    db.session.commit()
    chain_map = mapping.build_map(90)
    xs = {n.name: n.x for n in chain_map.nodes}
    assert xs["Lonely"] < xs["IT"] < xs["Sales"] == xs["Customer Support"]
    assert xs["Customer Support"] < xs["External customers"]


def test_a_departments_map_reads_each_side_of_its_flows_from_an_index(org):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    _busy_server(org)
    with sent_statements() as sent:
        chain_map = mapping.build_map(90, focus=org["it"].id)
    assert {n.name for n in chain_map.nodes} >= {"IT", "Team 0", "Team 4", "Sales"}
    plan = sqlite_plan(sent, "FROM chain_flow")
    # Each side found through an index on its department (which one, and whether SQLite
    # goes from the departments to the flows, depends on the tables' statistics), never
    # by reading every flow of the window.
    assert "SCAN chain_flow" not in plan, plan
    assert "uq_chain_flow (window_days=?)" not in plan, plan
