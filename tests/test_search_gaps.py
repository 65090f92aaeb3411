"""Searches that found nothing reach the department most likely to answer them (issue 14,
item 5): routed by their words, listed on the manage page as "What people looked for", and
answered with one click: an article with the words as its title, or the words added to a
service's keywords (audited, and search finds the service at once)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core.errors import NotFound
from portal.directory import search, search_gaps
from portal.extensions import db
from portal.manage.services.search_gaps import add_search_to_keywords, keywords_with
from portal.models import AuditEntry, SearchMiss
from tests import factories, worlds
from tests.statements import count_statements

HX = {"HX-Request": "true"}


def post_gap(client, csrf, gap, service_id, headers=HX, token=True):
    """Add gap's words to a service's keywords, as IT's manage page does."""
    data = {"service_id": str(service_id)}
    if token:
        data["csrf_token"] = csrf("/manage/it")
    return client.post(f"/manage/it/search-gaps/{gap.id}/keywords", data=data, headers=headers)


@pytest.fixture
def world(app):
    w = worlds.two_desks()
    service = factories.make_service
    w.printer = service(w.it, name="Printer set-up", slug="printer", keywords="toner")
    service(w.it, name="New laptop", slug="new-laptop")
    w.leaver = service(w.hr, name="Leaver paperwork", slug="leaver", keywords="resign")
    w.misses = {}
    for query, count in [
        ("printing double sided", 9),
        ("someone is leaving the team", 4),
        ("printer for the leaving party", 2),
        ("zebra crossing", 5),
    ]:
        w.misses[query] = SearchMiss(query=query, count=count)
        db.session.add(w.misses[query])
    db.session.commit()
    return w


def test_partial_forms_of_a_word_match_and_short_or_unrelated_words_do_not():
    assert search_gaps.related("printing", "printer")
    assert search_gaps.related("leaving", "leaver")
    assert search_gaps.related("park", "parking")
    assert not search_gaps.related("pri", "print")  # too short to say
    assert not search_gaps.related("printing", "private")  # "pri" only
    assert not search_gaps.related("leaving", "learning")  # "lea" only


def test_each_gap_goes_to_the_department_matching_most_of_its_words(world):
    gaps = {gap.query: [d.slug for d in gap.departments] for gap in search_gaps.portal_gaps()}
    assert gaps["printing double sided"] == ["it"]
    assert gaps["someone is leaving the team"] == ["hr"]
    assert gaps["printer for the leaving party"] == ["hr", "it"]  # one word each: both
    assert gaps["zebra crossing"] == []
    it_gaps = [gap.query for gap in search_gaps.department_gaps(world["it"])]
    assert it_gaps == ["printing double sided", "printer for the leaving party"]  # by count
    assert [g.query for g in search_gaps.department_gaps(world["hr"])] == [
        "someone is leaving the team",
        "printer for the leaving party",
    ]


def test_an_inactive_department_is_never_routed_to(world):
    world["hr"].active = False
    db.session.commit()
    gaps = {gap.query: gap.departments for gap in search_gaps.portal_gaps()}
    assert gaps["someone is leaving the team"] == []
    assert [d.slug for d in gaps["printer for the leaving party"]] == ["it"]


def test_the_manage_page_lists_only_the_departments_own_gaps(world, client, login):
    login(world["iris"])
    page = client.get("/manage/it").get_data(as_text=True)
    assert "What people looked for" in page
    assert "“printing double sided”" in page and "9 searches" in page
    assert "someone is leaving" not in page and "zebra" not in page
    assert "/manage/it/articles/new?title=printing+double+sided" in page


def test_adding_the_words_to_a_services_keywords_closes_the_gap(world, client, login, csrf):
    login(world["iris"])
    gap = world["misses"]["printing double sided"]
    response = post_gap(client, csrf, gap, world.printer.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="gaps-section"')
    assert "Added to the keywords of Printer set-up" in html
    assert "“printing double sided”" not in html
    db.session.expire_all()
    assert world["printer"].keywords == "toner, printing double sided"
    assert db.session.get(SearchMiss, gap.id) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "service.update"))
    assert entry.changes["keywords"] == ["toner", "toner, printing double sided"]
    found = search.search_directory("printing double sided", record=False)
    assert "Printer set-up" in [hit.service.name for hit in found.services]


def test_without_javascript_it_redirects_to_the_section(world, client, login, csrf):
    login(world["iris"])
    gap = world["misses"]["printing double sided"]
    response = post_gap(client, csrf, gap, world.printer.id, headers={})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/manage/it#gaps-section")


def test_no_service_chosen_is_a_422_beside_the_gap_and_nothing_changes(world, client, login, csrf):
    login(world["iris"])
    gap = world["misses"]["printing double sided"]
    for headers in (HX, {}):
        response = post_gap(client, csrf, gap, "", headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert ("<html" in html) is (headers == {})
        assert f'id="gap-{gap.id}-error"' in html
        assert "Choose the service whose keywords should include these words." in html
    db.session.expire_all()
    assert db.session.get(SearchMiss, gap.id) is not None
    assert world["printer"].keywords == "toner"


def test_keywords_that_would_grow_too_long_are_refused_and_the_choice_kept(
    world, client, login, csrf
):
    world["printer"].keywords = "k" * 490
    db.session.commit()
    login(world["iris"])
    gap = world["misses"]["printing double sided"]
    response = post_gap(client, csrf, gap, world.printer.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "500" in html and f'id="gap-{gap.id}-error"' in html
    assert f'<option value="{world["printer"].id}" selected>' in html
    db.session.expire_all()
    assert db.session.get(SearchMiss, gap.id) is not None


@pytest.mark.parametrize(
    "case",
    [
        "other departments gap",
        "other departments service",
        "no such gap",
        "not a manager",
        "a forged service id",
    ],
)
def test_what_the_manager_may_not_touch_is_not_found(world, case):
    iris, it = world["iris"], world["it"]
    gap = world["misses"]["printing double sided"].id
    service = world["printer"].id
    if case == "other departments gap":
        gap = world["misses"]["someone is leaving the team"].id
    elif case == "other departments service":
        service = world["leaver"].id
    elif case == "no such gap":
        gap = 999_999
    elif case == "not a manager":
        iris = world["ivan"]
    elif case == "a forged service id":
        service = -1
    with pytest.raises(NotFound):
        add_search_to_keywords(iris, it, gap, service)
    assert db.session.scalar(select(SearchMiss).where(SearchMiss.id == gap)) is not None or (
        case == "no such gap"
    )


def test_a_post_without_the_csrf_token_is_refused(world, client, login, csrf):
    login(world["iris"])
    gap = world["misses"]["printing double sided"]
    response = post_gap(client, csrf, gap, world.printer.id, headers={}, token=False)
    assert response.status_code == 400
    assert db.session.get(SearchMiss, gap.id) is not None


def test_the_words_are_added_once_whatever_their_case():
    assert keywords_with("toner, Printing", "printing") == "toner, Printing"
    assert keywords_with("", "printing") == "printing"
    assert keywords_with(" a ,, b ", "c") == "a, b, c"


def test_write_an_article_opens_the_form_with_the_words_as_its_title(world, client, login):
    login(world["iris"])
    page = client.get("/manage/it/articles/new?title=printing+double+sided").get_data(as_text=True)
    assert 'value="printing double sided"' in page
    hostile = client.get("/manage/it/articles/new?title=%00%3Cscript%3E" + "x" * 300)
    html = hostile.get_data(as_text=True)
    assert hostile.status_code == 200
    assert "<script>x" not in html and "\x00" not in html


def _reads_gaps(statements: list[str]) -> bool:
    return any("search_miss" in sql for sql in statements)


def test_the_gaps_are_read_only_where_they_are_drawn(world, client, login, csrf):
    """The whole manage page and the gaps section read the gaps; a swap of another section
    (shown, edited, saved) does not, nor does /insights' re-sorted table."""
    login(world.iris)
    with count_statements() as page:
        assert client.get("/manage/it").status_code == 200
    with count_statements() as gaps:
        assert client.get("/manage/it?section=gaps", headers=HX).status_code == 200
    with count_statements() as members:
        assert client.get("/manage/it?section=members", headers=HX).status_code == 200
    with count_statements() as editing:
        assert client.get("/manage/it?edit=hours", headers=HX).status_code == 200
    assert _reads_gaps(page) and _reads_gaps(gaps)
    assert not _reads_gaps(members) and not _reads_gaps(editing)

    with count_statements() as overview:
        assert client.get("/insights").status_code == 200
    with count_statements() as sorted_table:
        response = client.get("/insights?sort=name", headers=HX)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert _reads_gaps(overview) and not _reads_gaps(sorted_table)
    assert not any("knowledge_" in sql for sql in sorted_table)
