"""Every empty list says what it would hold and what to do next (issue 20, item 5): a link
onwards, never a dead end."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Suggestion
from tests import factories, worlds


def empty_state(html: str) -> str:
    start = html.index('class="empty"')
    return html[start : html.index("</p>", start)]


def test_my_requests_when_nothing_was_asked_leads_to_the_teams(it_desk, client, login):
    login(it_desk.erin)
    text = empty_state(client.get("/requests/mine").get_data(as_text=True))
    assert "You have not asked for anything yet." in text
    assert 'href="/">find the team</a>' in text


def test_an_empty_queue_points_to_the_scorecard_and_a_filtered_one_to_all_open(
    it_desk, client, login
):
    login(it_desk.ivan)
    text = empty_state(client.get("/queue/it").get_data(as_text=True))
    assert "No open requests." in text and 'href="/d/it/scorecard"' in text
    text = empty_state(client.get("/queue/it?tab=resolved").get_data(as_text=True))
    assert "Nothing here" in text and 'href="/queue/it">all open requests</a>' in text


def test_the_wall_with_no_match_offers_to_show_all(app, client, login):
    world = worlds.wall()
    login(world.erin)
    text = empty_state(client.get("/wall?department=hr").get_data(as_text=True))
    assert "No thanks match these filters yet." in text
    assert 'href="/wall">Show all thanks</a>' in text
    text = empty_state(client.get("/wall").get_data(as_text=True))
    assert "Be the first: choose “Thank someone” above." in text


def test_an_audit_search_with_no_match_clears_its_filters(app, client, login):
    ada = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    login(ada)
    text = empty_state(client.get("/admin/audit?action=nothing.like.this").get_data(as_text=True))
    assert "No entries match these filters." in text
    assert 'href="/admin/audit">Clear the filters</a>' in text


def test_suggestions_with_none_answered_say_what_will_appear(it_desk, client, login):
    db.session.add(Suggestion(department_id=it_desk.it.id, author_id=it_desk.erin.id,
                              title="Longer hours", body="Please."))
    db.session.commit()
    login(it_desk.erin)
    html = client.get("/d/it/suggestions").get_data(as_text=True)
    assert "Nothing answered yet. When IT takes up or declines a suggestion" in html
