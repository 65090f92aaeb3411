"""Who handles X? Search over services, departments and people.

Service-level tests call portal.directory.search against the real database
(SQLite, or PostgreSQL with TEST_DATABASE_URL); view-level tests (names with
"view") go through /search as a signed-in person, as a full page and as an
htmx fragment.
"""
from __future__ import annotations

import re
from datetime import time

import pytest
from sqlalchemy import func, insert, select

from portal.directory import search
from portal.extensions import db
from portal.models import (
    Priority,
    ResponseStandard,
    SearchDocument,
    SearchMiss,
    Service,
    User,
)
from tests.statements import count_statements


def service_names(results) -> list[str]:
    return [hit.service.name for hit in results.services]


@pytest.fixture
def directory(make_department, make_service, make_user):
    """A small organisation with the usual near misses between services."""
    it = make_department(
        name="IT", slug="it", key_prefix="IT", chat_channel="#it-help",
        mission="Technology that just works.",
        description="Laptops, phones, accounts and software for everyone.",
        hours=(time(8), time(18)),
    )
    finance = make_department(
        name="Finance", slug="finance", key_prefix="FIN",
        mission="Paying people and suppliers on time.",
        standards={Priority.NORMAL: (480, 2400)},
    )
    hr = make_department(
        name="People team", slug="people", key_prefix="HR",
        mission="Hiring, onboarding and looking after colleagues.",
    )
    facilities = make_department(
        name="Facilities", slug="facilities", key_prefix="FAC",
        mission="Buildings, desks and the car park.",
    )
    legal = make_department(
        name="Legal", slug="legal", key_prefix="LEG", mission="Contracts and compliance.",
    )
    canteen = make_department(
        name="Canteen", slug="canteen", key_prefix="CAN", mission="Lunch and coffee.",
        active=False,
    )

    laptop = make_service(
        it, name="New laptop", slug="new-laptop", category="Devices",
        keywords="computer notebook macbook",
        summary="Order a laptop for yourself or a new starter.",
        description="Standard and developer models; delivery takes about a week.",
        what_to_include="Who it is for and the date they need it.",
    )
    make_service(
        it, name="Device repair", slug="device-repair", category="Devices",
        keywords="laptop phone broken screen battery",
        summary="Get a broken phone or computer fixed.",
        description="Bring the device to the service desk or book a collection.",
    )
    make_service(
        it, name="Password reset", slug="password-reset", category="Access & accounts",
        keywords="locked out login", summary="Get back into your account.",
    )
    make_service(
        it, name="Old laptop buyback", slug="old-laptop-buyback", category="Devices",
        summary="Buy your old laptop.", active=False,
    )
    make_service(
        finance, name="Payslip query", slug="payslip-query", category="Pay",
        keywords="salary wages pay slip",
        summary="A question about your pay or deductions.",
    )
    make_service(
        finance, name="Tax code question", slug="tax-code", category="Pay",
        keywords="HMRC P60", summary="Think you are on the wrong tax code?",
        description="Your tax code is printed on every payslip.",
    )
    make_service(
        finance, name="Expense claim", slug="expense-claim", category="Spending",
        keywords="receipts reimbursement mileage",
        summary="Claim back money you spent on company business.",
    )
    make_service(
        finance, name="Purchase order", slug="purchase-order", category="Spending",
        keywords="supplier invoice buy",
        summary="Buy goods or services from a supplier.",
        description="For a personal expense you have already paid, use an expense claim instead.",
    )
    make_service(
        hr, name="New hire onboarding", slug="onboarding", category="Joining",
        keywords="starter joiner induction",
        summary="Everything a new colleague needs on day one.",
    )
    make_service(
        hr, name="Job advert", slug="job-advert", category="Recruitment",
        keywords="vacancy recruitment role",
        summary="Advertise an open role.",
        description="Before a new role is advertised, the hiring manager needs approval to hire.",
    )
    make_service(
        hr, name="Employment contract change", slug="contract-change", category="Employment",
        keywords="hours terms part-time",
        summary="Change your hours or the terms of your contract.",
        description="Your manager will review the change with you first.",
    )
    make_service(
        facilities, name="Parking permit", slug="parking-permit", category="Travel",
        keywords="car park space",
        summary="Apply for a space in the staff car park.",
    )
    make_service(
        facilities, name="Visitor access", slug="visitor-access", category="Buildings",
        keywords="guest badge reception",
        summary="Let a guest into the building.",
        description="Visitors can use the parking spaces next to reception.",
    )
    make_service(
        legal, name="Contract review", slug="contract-review", category="Contracts",
        keywords="NDA agreement supplier",
        summary="Legal review of a contract before you sign it.",
    )
    make_service(canteen, name="Lunch menu", slug="lunch-menu", summary="What is for lunch.")

    make_user(name="Ivan Petrov", title="IT Support Engineer", department_id=it.id)
    make_user(name="Priya Shah", title="Payroll Officer", department_id=finance.id)
    make_user(name="Sam Jones", title="Payroll Manager", department_id=finance.id, active=False)
    make_user(name="Lena Park", title="Office Manager", department_id=facilities.id)

    db.session.add(
        ResponseStandard(
            department_id=it.id, service_id=laptop.id, priority=Priority.NORMAL,
            first_response_minutes=120, resolution_minutes=2400,
        )
    )
    # make_service indexed the services; departments and people are indexed here.
    search.reindex_all()
    db.session.commit()
    return {"it": it, "finance": finance, "hr": hr, "laptop": laptop, "canteen": canteen}


@pytest.fixture
def signed_in(make_user, login):
    return login(make_user(name="Searcher Person", title="Colleague"))


# --------------------------------------------------------------------------
# Finding the right service


@pytest.mark.parametrize(
    ("query", "expected_first", "also_found"),
    [
        ("laptop", "New laptop", "Device repair"),
        ("payslip", "Payslip query", "Tax code question"),
        ("parking", "Parking permit", "Visitor access"),
        ("contract review", "Contract review", "Employment contract change"),
        ("new hire", "New hire onboarding", "Job advert"),
        ("expense", "Expense claim", "Purchase order"),
        ("Laptops", "New laptop", "Device repair"),
        ("  NEW   Hire!  ", "New hire onboarding", "Job advert"),
    ],
)
def test_the_right_service_comes_first(app, directory, query, expected_first, also_found):
    results = search.search_directory(query)
    names = service_names(results)
    assert names[0] == expected_first
    assert also_found in names  # the distractor is found, and ranked below
    assert not results.fallback


def test_prefix_of_a_word_finds_the_service(app, directory):
    assert service_names(search.search_directory("lapt"))[0] == "New laptop"
    assert service_names(search.search_directory("new lap"))[0] == "New laptop"
    assert service_names(search.search_directory("pays"))[0] == "Payslip query"


def test_name_beats_keywords_beats_summary_beats_description(app, make_department, make_service):
    department = make_department(name="Mobility", slug="mobility")
    # Made in the opposite order of the expected ranking, and the description
    # match says "visa" often, which a pure text rank would reward.
    make_service(
        department, name="Relocation support", slug="relocation",
        keywords="moving house", summary="Help moving to another office.",
        description="Visa advice: we recommend a visa adviser for every visa question.",
    )
    make_service(
        department, name="Business travel booking", slug="travel", keywords="flights hotels",
        summary="Book flights, hotels and visa appointments.",
    )
    make_service(
        department, name="Right to work check", slug="right-to-work",
        keywords="visa immigration", summary="Confirm someone may work here.",
    )
    make_service(
        department, name="Sponsored visa letter", slug="visa-letter", keywords="sponsorship",
        summary="A letter for an embassy.",
    )
    results = search.search_directory("visa")
    assert service_names(results) == [
        "Sponsored visa letter",  # name
        "Right to work check",  # keywords
        "Business travel booking",  # summary
        "Relocation support",  # description only
    ]


def test_exact_name_then_name_start_then_name_words(app, make_department, make_service):
    department = make_department(name="Kit", slug="kit")
    make_service(department, name="Spare laptop", slug="spare", keywords="laptop loan")
    make_service(department, name="Laptop stand", slug="stand")
    make_service(department, name="Laptop", slug="laptop")
    make_service(department, name="Docking station", slug="dock", keywords="laptop")
    assert service_names(search.search_directory("laptop")) == [
        "Laptop", "Laptop stand", "Spare laptop", "Docking station",
    ]


def test_limit_applies_per_kind(app, make_department, make_service, make_user):
    department = make_department(name="Printing", slug="printing")
    for n in range(8):
        make_service(department, name=f"Printer {n}", slug=f"printer-{n}")
        make_user(name=f"Printer Person {n}", title="Print technician")
    search.reindex_all()
    db.session.commit()
    results = search.search_directory("printer")
    assert len(results.services) == 5 and len(results.people) == 5
    assert service_names(results) == [f"Printer {n}" for n in range(5)]
    assert len(search.search_directory("printer", limit=2).people) == 2


def test_service_hits_carry_department_and_normal_promise(app, directory):
    hits = {hit.service.name: hit for hit in search.search_directory("laptop").services}
    laptop = hits["New laptop"]
    assert laptop.department.slug == "it" and laptop.service.department is laptop.department
    # The service's own normal-priority promise overrides the department default.
    assert laptop.promise.priority is Priority.NORMAL
    assert laptop.promise.first_response_minutes == 120
    repair = hits["Device repair"]
    assert repair.promise.first_response_minutes == 240  # IT's default
    assert repair.promise.day_minutes == 600  # IT is open 08:00-18:00


def test_promises_and_departments_are_loaded_in_a_fixed_number_of_queries(app, directory):
    search.search_directory("laptop")  # the vocabulary and synonyms, read once per change
    with count_statements() as statements:
        several = search.search_directory("co")  # computer, company, contract, colleague...
    assert len(several.services) == 5
    assert len({hit.department.id for hit in several.services}) >= 3
    # The search stamp (1); 4 candidate queries (a name-like word: people too); services
    # with their departments' hours and closures (3); default and overriding promises (2);
    # departments (1); people and theirs (2); BEGIN on SQLite.
    assert len([s for s in statements if s != "BEGIN"]) <= 13
    # Touching what the template shows loads nothing more.
    with count_statements() as later:
        for hit in several.services:
            _ = (hit.service.department.name, hit.promise and hit.promise.first_response_minutes)
        for person in several.people:
            _ = person.department and person.department.name
    assert later == []


# --------------------------------------------------------------------------
# People and departments


def test_people_by_name_only_when_the_query_looks_like_a_name(app, directory):
    assert [p.name for p in search.search_directory("Petrov").people] == ["Ivan Petrov"]
    by_name = search.search_directory("priya sha")
    assert [p.name for p in by_name.people] == ["Priya Shah"]
    assert by_name.people[0].department.name == "Finance"
    # Never by a title or a department, nor in a question.
    assert search.search_directory("payroll officer").people == []
    assert search.search_directory("finance").people == []
    assert search.search_directory("who is priya").people == []


def test_person_named_like_a_word_is_found_with_the_service(app, directory):
    # "Lena Park" is a person; "parking" finds the service and her.
    results = search.search_directory("park")
    assert service_names(results)[0] == "Parking permit"
    assert [p.name for p in results.people] == ["Lena Park"]


def test_departments_by_name_slug_and_channel(app, directory):
    assert [d.name for d in search.search_directory("finance").departments] == ["Finance"]
    assert [d.name for d in search.search_directory("Facilities").departments] == ["Facilities"]
    assert "IT" in [d.name for d in search.search_directory("it-help").departments]
    assert [d.name for d in search.search_directory("onboarding").departments] == ["People team"]


# --------------------------------------------------------------------------
# What is not found


def test_inactive_services_departments_and_people_are_not_found(app, directory):
    assert "Old laptop buyback" not in service_names(search.search_directory("laptop"))
    assert "Old laptop buyback" not in service_names(search.search_directory("buyback"))
    lunch = search.search_directory("lunch", record=False)
    assert lunch.is_empty
    assert search.search_directory("canteen", record=False).departments == []
    assert [p.name for p in search.search_directory("priya").people] == ["Priya Shah"]
    assert search.search_directory("sam jones").people == []
    assert db.session.scalar(select(func.count()).select_from(SearchDocument).where(
        SearchDocument.ref_id == directory["canteen"].id, SearchDocument.kind == "department"
    )) == 0


def test_deactivating_a_service_then_indexing_removes_it(app, directory):
    laptop = directory["laptop"]
    laptop.active = False
    search.index_service(laptop)
    db.session.commit()
    assert "New laptop" not in service_names(search.search_directory("laptop"))
    laptop.active = True
    search.index_service(laptop)
    db.session.commit()
    assert service_names(search.search_directory("laptop"))[0] == "New laptop"


def test_deactivating_a_department_hides_it_and_its_services(app, directory):
    it = directory["it"]
    it.active = False
    search.index_department(it)
    db.session.commit()
    results = search.search_directory("laptop", record=False)
    assert results.services == [] and results.departments == []
    assert search.search_directory("IT", record=False).departments == []
    it.active = True
    search.index_department(it)
    db.session.commit()
    assert service_names(search.search_directory("laptop"))[0] == "New laptop"


def test_stale_index_entries_are_not_shown(app, directory):
    # A service switched off without reindexing is still filtered out.
    db.session.execute(
        Service.__table__.update().where(Service.id == directory["laptop"].id).values(active=False)
    )
    db.session.commit()
    assert "New laptop" not in service_names(search.search_directory("laptop"))


def test_renaming_and_removing(app, directory, make_user):
    person = make_user(name="Zara Quinn", title="Architect")
    search.index_person(person)
    db.session.commit()
    assert [p.name for p in search.search_directory("zara").people] == ["Zara Quinn"]
    person.name = "Zara Okafor"
    search.index_person(person)
    db.session.commit()
    assert [p.name for p in search.search_directory("okafor").people] == ["Zara Okafor"]
    assert search.search_directory("quinn", record=False).is_empty
    search.remove_from_index("person", person.id)
    db.session.commit()
    assert search.search_directory("okafor", record=False).is_empty
    with pytest.raises(ValueError):
        search.remove_from_index("planet", 1)


def test_department_rename_reaches_its_people(app, directory):
    finance = directory["finance"]
    finance.name = "Money"
    search.index_department(finance)
    db.session.commit()
    priya = db.session.scalar(select(SearchDocument).where(
        SearchDocument.kind == "person", SearchDocument.name == "Priya Shah"))
    assert "Money" in priya.keywords
    assert [d.name for d in search.search_directory("money").departments] == ["Money"]


def test_reindex_all_rebuilds_documents(app, directory):
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    assert search.search_directory("laptop", record=False).is_empty
    search.reindex_all()
    db.session.commit()
    assert service_names(search.search_directory("laptop"))[0] == "New laptop"
    kinds = dict(db.session.execute(
        select(SearchDocument.kind, func.count()).group_by(SearchDocument.kind)
    ).all())
    # 5 active departments; 13 active services there; 3 active people.
    assert kinds == {"department": 5, "service": 13, "person": 3}
    search.reindex_all()  # nothing changed: nothing to write
    db.session.commit()
    assert service_names(search.search_directory("laptop"))[0] == "New laptop"


def test_reindex_all_writes_in_bulk(app, make_department):
    department = make_department(name="Crowd", slug="crowd")
    db.session.execute(
        insert(User.__table__),
        [
            {"email": f"bulk{n}@example.com", "name": f"Bulk Person {n}", "title": "Agent",
             "department_id": department.id, "timezone": "Europe/London", "active": True,
             "is_admin": False}
            for n in range(3000)
        ],
    )
    db.session.commit()
    with count_statements() as statements:
        search.reindex_all()
        db.session.commit()
    assert len(statements) < 30  # batched, not one statement per person
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 3001
    assert len(search.search_directory("bulk person 2999").people) == 1


# --------------------------------------------------------------------------
# Fallback and misses


def test_any_term_when_no_result_has_every_term(app, directory):
    results = search.search_directory("laptop payslip")
    names = service_names(results)
    assert results.fallback
    assert "New laptop" in names and "Payslip query" in names
    assert db.session.scalar(select(func.count()).select_from(SearchMiss)) == 0


def test_a_query_that_finds_nothing_is_counted(app, directory):
    assert search.search_directory("Quantum Flux").is_empty
    assert search.search_directory("quantum   FLUX").is_empty
    misses = db.session.scalars(select(SearchMiss)).all()
    assert [(m.query, m.count) for m in misses] == [("quantum flux", 2)]
    assert misses[0].last_seen >= misses[0].first_seen
    # Only the text and a count: nothing about who asked.
    assert set(SearchMiss.__table__.columns.keys()) == {
        "id", "query", "count", "first_seen", "last_seen"
    }


def test_a_query_with_hits_is_not_counted(app, directory):
    assert not search.search_directory("laptop").is_empty
    assert not search.search_directory("laptop payslip").is_empty  # via the fallback
    assert search.search_directory("!!!").too_short
    assert db.session.scalar(select(func.count()).select_from(SearchMiss)) == 0


def test_record_miss_directly_cleans_and_cuts(app):
    search.record_miss("  Where IS the\u200b Cake  ")
    search.record_miss("where is the cake")
    search.record_miss("x" * 500)
    search.record_miss("   ")
    rows = {m.query: m.count for m in db.session.scalars(select(SearchMiss))}
    assert rows == {"where is the cake": 2, "x" * 200: 1}


def test_view_counts_a_miss(app, client, signed_in, directory):
    assert client.get("/search?q=Zeppelin").status_code == 200
    assert db.session.scalar(select(SearchMiss.count).where(SearchMiss.query == "zeppelin")) == 1


# --------------------------------------------------------------------------
# Cleaning


def test_cleaning_and_terms(app):
    assert search.clean_query("lap\x00top") == "laptop"
    assert search.clean_query("\u202elaptop\ufeff") == "laptop"
    assert search.clean_query("ｌａｐｔｏｐ") == "laptop"  # NFKC: full-width letters
    assert search.clean_query("new\t\nlaptop ") == "new laptop"
    assert len(search.clean_query("a" * 10_000)) == 200
    terms = search.query_terms(" ".join(f"word{n}" for n in range(20)))
    assert terms == [f"word{n}" for n in range(8)]
    assert search.query_terms("x" * 100) == ["x" * 40]
    assert search.query_terms("Laptop LAPTOP laptop") == ["laptop"]


def test_no_usable_term_sends_no_query(app):
    with count_statements() as statements:
        results = search.search_directory(' " * - ^ : % ')
    assert results.too_short and results.is_empty and results.terms == []
    assert statements == []


def test_underscore_terms_are_harmless(app, directory):
    for query in ("_", "__", "%_%", "___ %"):
        results = search.search_directory(query)
        assert not results.too_short and results.is_empty and results.terms
    # Nothing a person could have meant: not worth counting as a miss.
    assert db.session.scalar(select(func.count()).select_from(SearchMiss)) == 0
    # Underscores split words, as they do in both engines.
    assert service_names(search.search_directory("new_laptop"))[0] == "New laptop"


# --------------------------------------------------------------------------
# Bad input: never a 500, never syntax for the engine or SQL

BAD_QUERIES = [
    pytest.param("laptop " + "x" * 10_000, "New laptop", id="10000-chars"),
    pytest.param("a" * 10_000, None, id="10000-same-char"),
    pytest.param('"', None, id="double-quote"),
    pytest.param("*", None, id="star"),
    pytest.param("OR", None, id="or"),
    pytest.param("NEAR(", None, id="near"),
    pytest.param("-", None, id="minus"),
    pytest.param('" OR "', None, id="quoted-or"),
    pytest.param("AND NOT", None, id="and-not"),
    pytest.param('laptop" OR "payslip', None, id="injected-or"),
    pytest.param("lapt* NOT repair", None, id="star-not"),
    pytest.param("kind:person laptop", None, id="column-filter"),
    pytest.param("{name}: ^laptop", "New laptop", id="column-set"),
    pytest.param("laptop & !payslip | (x:*)", None, id="tsquery-syntax"),
    pytest.param("'; DROP TABLE service; --", None, id="sql-drop"),
    pytest.param("1 OR 1=1", None, id="sql-or"),
    pytest.param("lap\x00top", "New laptop", id="nul"),
    pytest.param("\u202elaptop", "New laptop", id="rtl-override"),
    pytest.param("lap\u200btop", "New laptop", id="zero-width"),
    pytest.param("\ufefflaptop\u200d", "New laptop", id="bom-zwj"),
    pytest.param("%", None, id="percent"),
    pytest.param("_", None, id="underscore"),
    pytest.param("%_%", None, id="like-wildcards"),
    pytest.param("<script>alert(1)</script>", None, id="script"),
    pytest.param("\\", None, id="backslash"),
    pytest.param("ünïcödé lâptöp", None, id="diacritics"),
]


@pytest.mark.parametrize(("query", "expected_first"), BAD_QUERIES)
def test_bad_input_is_just_a_search(app, directory, query, expected_first):
    services_before = db.session.scalar(select(func.count()).select_from(Service))
    results = search.search_directory(query)
    assert len(results.query) <= 200 and "\x00" not in results.query
    assert len(results.terms) <= 8 and all(len(t) <= 40 for t in results.terms)
    if expected_first:
        assert service_names(results)[0] == expected_first
    # The tables are still there.
    assert db.session.scalar(select(func.count()).select_from(Service)) == services_before


@pytest.mark.parametrize(("query", "expected_first"), BAD_QUERIES)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_view_bad_input_is_just_a_search(
    app, client, signed_in, directory, query, expected_first, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/search", query_string={"q": query}, headers=headers)
    assert response.status_code == 200
    assert "HX-Request" in response.headers.get("Vary", "")
    body = response.get_data(as_text=True)
    assert ("<html" in body) is not htmx
    assert "<script>alert" not in body
    if expected_first:
        assert expected_first in body


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_view_shows_the_query_escaped(app, client, signed_in, directory, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(
        "/search", query_string={"q": "<script>alert(1)</script>"}, headers=headers
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [("laptop", "New laptop"), ("new hire", "New hire onboarding"), ("lapt", "New laptop")],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_view_finds_services(app, client, signed_in, directory, query, expected, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/search", query_string={"q": query}, headers=headers)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert expected in body
    assert ("<html" in body) is not htmx
    assert "HX-Request" in response.headers.get("Vary", "")


def test_view_empty_query_is_a_page(app, client, signed_in):
    response = client.get("/search")
    assert response.status_code == 200
    fragment = client.get("/search?q=", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b"<html" not in fragment.data


def test_a_department_named_like_a_stop_word_is_found(app, make_department, make_service):
    """"IT" is an English stop word; PostgreSQL's plain ('simple') words keep it."""
    it = make_department(name="IT", slug="it", mission="Technology that just works.")
    search.index_department(it)
    make_service(make_department(name="Facilities", slug="facilities"), name="Item storage")
    db.session.commit()
    results = search.search_directory("IT")
    assert [d.slug for d in results.departments][:1] == ["it"]


# The type-ahead: the WAI-ARIA APG combobox with valid HTML (issue 12, item 18) -----------


def _listbox(html: str) -> str:
    start = html.index('<ul id="home-search-listbox" role="listbox"')
    return html[start : html.index("</ul>", start)]


def test_the_search_box_is_a_text_combobox_controlling_a_listbox_that_exists(
    app, client, signed_in, directory
):
    html = client.get("/").get_data(as_text=True)
    box = re.search(r'<input id="home-search-q"[^>]*>', html).group(0)
    assert 'type="text"' in box and 'type="search"' not in box  # combobox on search: invalid
    assert 'role="combobox"' in box and 'aria-expanded="false"' in box
    assert 'aria-autocomplete="list"' in box
    controls = re.search(r'aria-controls="([^"]+)"', box).group(1)
    assert f'id="{controls}" role="listbox"' in html  # the IDREF names a real listbox


def test_suggestions_are_options_without_links_each_with_its_address(
    app, client, signed_in, directory
):
    fragment = client.get(
        "/search?q=laptop&box=home-search", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    listbox = _listbox(fragment)
    assert "<a " not in listbox  # no interactive content inside an option
    options = re.findall(r'<li role="option" id="([^"]+)"[^>]*data-href="([^"]+)"', listbox)
    assert ("home-search-opt-1", "/d/it/new-laptop") in options
    assert options[-1] == ("home-search-opt-all", "/search?q=laptop")
    assert 'data-announce="' in fragment and "result" in fragment.split('data-announce="')[1]


def test_no_suggestions_say_so_outside_the_listbox(app, client, signed_in, directory):
    fragment = client.get(
        "/search?q=zzqxv&box=home-search", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'data-announce="No results for zzqxv"' in fragment
    assert "browse departments" in fragment
    assert re.search(r'<ul id="home-search-listbox" role="listbox"[^>]*hidden', fragment)
    assert 'role="option"' not in fragment
