"""Deflection (issue 14 item 4): help articles suggested while a request is typed, and
"This answered my question" closing the form without a request, counted once per form for
the article and the service; a token made for someone else's form is refused. On the IT
desk: Ivan the agent, Erin the employee (not in IT), Hugo who manages HR."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core import clock
from portal.core.errors import NotFound
from portal.extensions import db
from portal.knowledge.services import deflection, helpfulness, reading, suggestions, writing
from portal.models import Article, ArticleAudience, ArticleStatus, Deflection, ServiceRequest
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(worlds):
    desk = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    desk.vpn = factories.make_service(desk.it, slug="vpn", name="VPN access")
    desk.vpn_article = article(
        desk,
        "VPN keeps disconnecting at home",
        "Reconnect the VPN and keep it connected.",
        "Open the VPN app, sign out and in again.",
        "remote, wifi",
        [desk.vpn.id],
    )
    desk.printer = article(
        desk,
        "Set up a printer",
        "Add an office printer to your laptop.",
        "Open Settings and choose Printers.",
        "printing, toner",
        [desk.laptop.id],
    )
    desk.screen = article(
        desk,
        "A cracked laptop screen",
        "What to do when a screen breaks.",
        "Bring the laptop to the IT desk.",
        "display",
        [desk.laptop.id],
    )
    return desk


def article(
    desk,
    title,
    summary,
    body,
    keywords,
    service_ids,
    *,
    status=ArticleStatus.PUBLISHED,
    audience=ArticleAudience.EVERYONE,
    department=None,
    author=None,
):
    created = writing.create_article(
        author or desk.ivan,
        department or desk.it,
        writing.ArticleChange(
            title=title,
            summary=summary,
            body=body,
            keywords=keywords,
            service_ids=service_ids,
            audience=audience,
        ),
    )
    if status is not ArticleStatus.DRAFT:
        created = writing.set_status(author or desk.ivan, created, status)
    return created


def titles(found):
    return [s.article.title for s in found]


# Which articles are suggested --------------------------------------------------------


def test_the_matching_article_is_suggested_first(desk):
    found = suggestions.suggest(desk.erin, desk.vpn, "vpn keeps disconnecting")
    assert titles(found)[0] == "VPN keeps disconnecting at home"
    assert titles(suggestions.suggest(desk.erin, desk.laptop, "my printer is not printing")) == [
        "Set up a printer"
    ]


def test_the_description_counts_too(desk):
    found = suggestions.suggest(desk.erin, desk.laptop, "Help", "the screen on my laptop cracked")
    assert titles(found)[0] == "A cracked laptop screen"


def test_nothing_for_too_little_text_or_no_telling_word(desk):
    assert suggestions.suggest(desk.erin, desk.vpn, "vp") == []
    assert suggestions.suggest(desk.erin, desk.vpn, "  ", "!!") == []
    assert suggestions.suggest(desk.erin, desk.vpn, "quarterly budget forecast") == []


def test_at_most_three_and_the_forms_service_first(desk):
    for n in range(4):
        article(desk, f"Printer tip {n}", "Printer advice.", "printer", "printer", [])
    found = suggestions.suggest(desk.erin, desk.laptop, "printer")
    assert len(found) == suggestions.LIMIT
    assert titles(found)[0] == "Set up a printer"  # linked to the laptop service


def test_drafts_archived_and_other_departments_articles_are_never_suggested(desk):
    article(desk, "VPN draft notes", "VPN", "vpn", "vpn", [desk.vpn.id], status=ArticleStatus.DRAFT)
    article(
        desk, "Old VPN client", "VPN", "vpn", "vpn", [desk.vpn.id], status=ArticleStatus.ARCHIVED
    )
    article(desk, "VPN for HR", "VPN", "vpn", "vpn", [], department=desk.hr, author=desk.hugo)
    assert titles(suggestions.suggest(desk.ivan, desk.vpn, "vpn")) == [
        "VPN keeps disconnecting at home"
    ]


def test_a_department_only_article_is_suggested_to_its_members_only(desk):
    article(
        desk,
        "VPN admin console",
        "For the IT team.",
        "vpn",
        "vpn",
        [desk.vpn.id],
        audience=ArticleAudience.DEPARTMENT,
    )
    assert "VPN admin console" not in titles(
        suggestions.suggest(desk.erin, desk.vpn, "vpn console")
    )
    assert "VPN admin console" in titles(suggestions.suggest(desk.ivan, desk.vpn, "vpn console"))


# The live fragment ----------------------------------------------------------------------


def form_url(desk, service=None, tail=""):
    return f"/d/it/{(service or desk.vpn).slug}/request{tail}"


def open_form(client, desk, service=None):
    page = client.get(form_url(desk, service)).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    return csrf_token_from(page), token


def test_the_form_has_a_live_region_asking_as_people_type(desk, app):
    client = signed_in_client(app, desk.erin)
    page = client.get(form_url(desk)).get_data(as_text=True)
    region = re.search(r'<div id="article-suggestions"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in region and 'hx-post="/d/it/vpn/request/suggestions"' in region
    assert "delay:400ms" in region and "target:#title" in region and "target:#description" in region


def test_the_suggestions_fragment(desk, app):
    client = signed_in_client(app, desk.erin)
    csrf, token = open_form(client, desk)
    response = client.post(
        form_url(desk, tail="/suggestions"),
        data={"csrf_token": csrf, "form_token": token, "title": "vpn keeps disconnecting"},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert response.mimetype == "text/html"
    assert "VPN keeps disconnecting at home" in body and "This answered my question" in body
    assert 'href="/d/it/help/' in body


def test_the_fragment_is_empty_for_nothing_typed_and_redirects_without_htmx(desk, app):
    client = signed_in_client(app, desk.erin)
    csrf, token = open_form(client, desk)
    data = {"csrf_token": csrf, "form_token": token, "title": "vp"}
    response = client.post(form_url(desk, tail="/suggestions"), data=data, headers=HX)
    assert response.status_code == 200 and response.get_data(as_text=True).strip() == ""
    response = client.post(form_url(desk, tail="/suggestions"), data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith(form_url(desk))


def test_without_javascript_suggestions_come_with_the_first_validation(desk, app):
    client = signed_in_client(app, desk.erin)
    csrf, token = open_form(client, desk)
    response = client.post(
        form_url(desk),
        data={
            "csrf_token": csrf,
            "form_token": token,
            "title": "vpn keeps disconnecting",
            "description": "",
            "priority": "normal",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    plain = body[
        body.index('class="article-hints article-hints--plain"') : body.index(
            '<form class="request-form"'
        )
    ]
    assert "VPN keeps disconnecting at home" in plain
    assert 'action="/d/it/vpn/request/answered"' in plain and 'name="token"' in plain


# "This answered my question" -------------------------------------------------------------


def deflections() -> int:
    return db.session.scalar(select(func.count()).select_from(Deflection))


def requests() -> int:
    return db.session.scalar(select(func.count()).select_from(ServiceRequest))


def answer(client, desk, token, article_id, csrf, headers=HX, service=None):
    return client.post(
        form_url(desk, service, "/answered"),
        data={"csrf_token": csrf, "token": token, "article": str(article_id)},
        headers=headers,
    )


def test_answered_closes_the_form_and_counts_once_per_form(desk, app):
    client = signed_in_client(app, desk.erin)
    csrf, form_token = open_form(client, desk)
    with app.test_request_context():
        token = deflection.token_for(desk.erin, desk.vpn, form_token)
    response = answer(client, desk, token, desk.vpn_article.id, csrf)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert "Glad that helped" in body and "No request was sent to IT" in body
    again = answer(client, desk, token, desk.printer.id, csrf)
    assert again.status_code == 200
    assert deflections() == 1 and requests() == 0
    row = db.session.scalar(select(Deflection))
    assert (row.article_id, row.service_id, row.department_id, row.user_id) == (
        desk.vpn_article.id,
        desk.vpn.id,
        desk.it.id,
        desk.erin.id,
    )


def test_answered_without_javascript_goes_to_the_article_with_a_notice(desk, app):
    client = signed_in_client(app, desk.erin)
    csrf, form_token = open_form(client, desk)
    with app.test_request_context():
        token = deflection.token_for(desk.erin, desk.vpn, form_token)
    response = answer(client, desk, token, desk.vpn_article.id, csrf, headers={})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/d/it/help/{desk.vpn_article.slug}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no request was sent to IT" in page
    assert deflections() == 1


def test_a_forged_deflection_for_another_persons_form_is_refused(desk, app):
    """Erin sends the token of Iris's form (or an altered one, or one for another service):
    404 and nothing counted."""
    client = signed_in_client(app, desk.erin)
    csrf, form_token = open_form(client, desk)
    with app.test_request_context():
        theirs = deflection.token_for(desk.iris, desk.vpn, "iris-form")
        other_service = deflection.token_for(desk.erin, desk.laptop, form_token)
        mine = deflection.token_for(desk.erin, desk.vpn, form_token)
    for token in (theirs, other_service, mine[:-2] + "xx", "", "x" * 5000):
        response = answer(client, desk, token, desk.vpn_article.id, csrf)
        assert response.status_code == 404, token
    assert deflections() == 0


def test_an_expired_token_and_an_unfit_article_are_refused(desk, app, monkeypatch):
    client = signed_in_client(app, desk.erin)
    csrf, form_token = open_form(client, desk)
    draft = article(desk, "VPN draft", "VPN", "vpn", "vpn", [], status=ArticleStatus.DRAFT)
    hr_article = article(
        desk, "HR VPN", "VPN", "vpn", "vpn", [], department=desk.hr, author=desk.hugo
    )
    private = article(
        desk, "VPN console", "VPN", "vpn", "vpn", [], audience=ArticleAudience.DEPARTMENT
    )
    with app.test_request_context():
        token = deflection.token_for(desk.erin, desk.vpn, form_token)
    for article_id in (draft.id, hr_article.id, private.id, "nope", 10**12):
        assert answer(client, desk, token, article_id, csrf).status_code == 404
    monkeypatch.setattr(deflection, "MAX_AGE", -1)
    assert answer(client, desk, token, desk.vpn_article.id, csrf).status_code == 404
    assert deflections() == 0


def test_answered_needs_the_csrf_token(desk, app):
    client = signed_in_client(app, desk.erin)
    _csrf, form_token = open_form(client, desk)
    with app.test_request_context():
        token = deflection.token_for(desk.erin, desk.vpn, form_token)
    response = answer(client, desk, token, desk.vpn_article.id, "forged")
    assert response.status_code in (400, 403)
    assert deflections() == 0


def test_the_service_refuses_a_token_for_someone_else(desk, app):
    with app.test_request_context():
        token = deflection.token_for(desk.iris, desk.vpn, "f1")
        with pytest.raises(NotFound):
            deflection.answered(desk.erin, desk.vpn, desk.vpn_article.id, token)
        closed = deflection.answered(desk.iris, desk.vpn, desk.vpn_article.id, token)
    assert closed.article.id == desk.vpn_article.id and deflections() == 1


# The scorecard and /insights --------------------------------------------------------------


def deflect(app, user, service, article_id, form_token, days_ago=0):
    with app.test_request_context():
        token = deflection.token_for(user, service, form_token)
        closed = deflection.answered(user, service, article_id, token)
    if days_ago:
        closed.deflection.created_at = clock.now() - timedelta(days=days_ago)
        db.session.commit()


def test_the_scorecard_counts_deflections_helpfulness_and_reads(desk, app):
    private = article(
        desk, "VPN console", "For IT.", "vpn", "vpn", [], audience=ArticleAudience.DEPARTMENT
    )
    deflect(app, desk.erin, desk.vpn, desk.vpn_article.id, "f1")
    deflect(app, desk.iris, desk.vpn, desk.vpn_article.id, "f2", days_ago=40)
    helpfulness.vote(desk.erin, "it", desk.vpn_article.slug, helpfulness.VoteChange(True))
    helpfulness.vote(desk.hugo, "it", desk.vpn_article.slug, helpfulness.VoteChange(False))
    for _ in range(3):
        reading.article_page(desk.erin, "it", desk.vpn_article.slug)
    db.session.expire_all()  # the counter moved in SQL, as a new request would see it
    client = signed_in_client(app, desk.erin)
    page = client.get("/d/it/scorecard").get_data(as_text=True)
    stat = page[page.index("Answered by help articles") :]
    assert re.search(r'stat__value">1<', stat[:200])  # 30 days: the older one is not in
    ninety = client.get("/d/it/scorecard?days=90", headers=HX).get_data(as_text=True)
    stat = ninety[ninety.index("Answered by help articles") :]
    assert re.search(r'stat__value">2<', stat[:200])
    table = page[page.index('class="data-table help-figures"') :]
    table = table[: table.index("</table>")]
    row = table[table.index("VPN keeps disconnecting at home") :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[0] == "3" and cells[1].startswith("1 of 2") and cells[2] == "2"
    assert table.index("VPN keeps disconnecting") < table.index("Set up a printer")  # most read
    assert "VPN console" not in table  # department only: not for Erin
    staff = signed_in_client(app, desk.ivan).get("/d/it/scorecard").get_data(as_text=True)
    assert private.title in staff[staff.index("help-figures") :]


def test_insights_shows_deflections_per_department_and_the_most_read(desk, app):
    article(desk, "VPN console", "For IT.", "vpn", "vpn", [], audience=ArticleAudience.DEPARTMENT)
    private = db.session.scalar(select(Article).where(Article.title == "VPN console"))
    private.views = 50
    desk.printer.views = 7
    db.session.commit()
    deflect(app, desk.erin, desk.vpn, desk.vpn_article.id, "f1")
    deflect(app, desk.erin, desk.laptop, desk.printer.id, "f2")
    page = signed_in_client(app, desk.erin).get("/insights").get_data(as_text=True)
    section = page[page.index('id="help-title"') :]
    section = section[: section.index("</section>")]
    row = section[section.index(">IT<") :]
    assert re.findall(r"<td[^>]*>(.*?)</td>", row)[0] == "2"
    assert "Set up a printer" in section and "read 7 times" in section
    assert "VPN console" not in section  # department only: never listed portal-wide


def test_words_most_articles_use_count_for_nothing(desk):
    for topic in (
        "book a meeting room",
        "order a headset",
        "share a calendar",
        "print badges",
        "install Zoom",
        "find a colleague",
    ):
        article(desk, f"How to {topic}", f"How do I {topic}?", f"This is how you {topic}.", "", [])
    assert len(suggestions.suggest(desk.erin, desk.vpn, "how do I")) == 0
    found = suggestions.suggest(desk.erin, desk.vpn, "how do i stop the vpn disconnecting")
    assert titles(found) == ["VPN keeps disconnecting at home"]
