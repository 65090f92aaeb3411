"""Help articles (issue 14 items 1 and 6): revisions, diff, restore, an edit from a stale
revision (409, text kept), renamed addresses (301), audience, "Was this helpful?" votes and
the review reminders, on the shared IT desk (Ivan the agent, Iris the manager, Erin the
employee, Hugo who manages HR)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.knowledge.services import helpfulness, reading, review, revisions, writing
from portal.models import (
    Article,
    ArticleAudience,
    ArticleRevision,
    ArticleStatus,
    ArticleVote,
    AuditEntry,
    Notification,
    OutboxMessage,
)
from tests import factories
from tests.conftest import csrf_token_from

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(worlds):
    return worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))


def change(desk, **kw) -> writing.ArticleChange:
    values = {
        "title": "Set up a printer",
        "summary": "Add an office printer to your laptop.",
        "body": "1. Open Settings\n2. Choose Printers\n3. Add the office printer",
        "keywords": "printing, toner",
        "service_ids": [desk.laptop.id],
    }
    return writing.ArticleChange(**(values | kw))


def published(desk, **kw) -> Article:
    article = writing.create_article(desk.ivan, desk.it, change(desk, **kw))
    return writing.set_status(desk.ivan, article, ArticleStatus.PUBLISHED)


# Revisions, diff, restore --------------------------------------------------------------


def test_every_save_is_a_revision_with_who_and_when(desk):
    article = writing.create_article(desk.ivan, desk.it, change(desk))
    writing.update_article(
        desk.iris, article, change(desk, body="1. Open Settings", base_version=1)
    )
    history = revisions.history(article)
    assert [r.number for r in history] == [2, 1]
    assert history[0].author_id == desk.iris.id and history[1].author_id == desk.ivan.id
    assert history[1].body.endswith("Add the office printer")
    assert article.version == 2
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["article.create", "article.update"]


def test_the_diff_lists_added_and_removed_lines(desk, client, login):
    article = writing.create_article(desk.ivan, desk.it, change(desk))
    writing.update_article(
        desk.ivan,
        article,
        change(
            desk,
            title="Add a printer",
            body="1. Open Settings\n2. Choose Devices\n3. Add the office printer",
        ),
    )
    compared = revisions.compare(article, 1, 2)
    kinds = [(line.kind, line.text) for hunk in compared.hunks for line in hunk]
    assert ("removed", "2. Choose Printers") in kinds and ("added", "2. Choose Devices") in kinds
    assert compared.added == 1 and compared.removed == 1
    assert [f.label for f in compared.fields] == ["Title"]
    login(desk.ivan)
    page = client.get(f"/manage/it/articles/{article.id}/diff?from=1&to=2")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<del><span class=\"visually-hidden\">Removed: </span>" in html
    assert "2. Choose Devices" in html
    assert client.get(f"/manage/it/articles/{article.id}/diff?from=1&to=9").status_code == 404
    assert client.get(f"/manage/it/articles/{article.id}/diff?from=x&to=2").status_code == 404


def test_restore_makes_a_new_revision_with_the_old_text(desk):
    article = writing.create_article(desk.ivan, desk.it, change(desk))
    writing.update_article(desk.ivan, article, change(desk, body="Wrong"))
    restored = revisions.restore(desk.iris, article, 1)
    assert restored.number == 3 and restored.note == "Restored revision 1"
    db.session.refresh(article)
    assert article.version == 3 and article.body.endswith("Add the office printer")
    assert db.session.scalar(select(func.count()).select_from(ArticleRevision)) == 3


def test_an_edit_from_a_stale_revision_is_refused_with_409_and_the_text_kept(desk, client, login):
    article = writing.create_article(desk.ivan, desk.it, change(desk))
    writing.update_article(desk.iris, article, change(desk, body="Iris was here", base_version=1))
    with pytest.raises(writing.StaleEdit):
        writing.update_article(desk.ivan, article, change(desk, body="Ivan's", base_version=1))

    login(desk.ivan)
    token = csrf_token_from(client.get(f"/manage/it/articles/{article.id}").get_data(as_text=True))
    answer = client.post(
        f"/manage/it/articles/{article.id}",
        data={"csrf_token": token, "title": "Set up a printer", "body": "Ivan’s own text",
              "base_version": "1", "audience": "everyone"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "Ivan’s own text" in html
    assert "revision 2" in html and f"/manage/it/articles/{article.id}/diff?from=1&amp;to=2" in html
    db.session.refresh(article)
    assert article.body == "Iris was here" and article.version == 2


def test_a_renamed_article_answers_its_old_address_with_a_301(desk, client, login):
    article = published(desk)
    old = article.slug
    writing.update_article(desk.ivan, article, change(desk, slug="printer-set-up"))
    login(desk.erin)
    answer = client.get(f"/d/it/help/{old}")
    assert answer.status_code == 301
    assert answer.headers["Location"].endswith("/d/it/help/printer-set-up")
    assert client.get("/d/it/help/printer-set-up").status_code == 200
    # Renamed back: the address is the article's own again (no loop).
    writing.update_article(desk.ivan, article, change(desk, slug=old))
    assert client.get(f"/d/it/help/{old}").status_code == 200
    assert client.get("/d/it/help/printer-set-up").status_code == 301


def test_slug_collisions_are_refused_beside_the_field_or_numbered(desk):
    first = published(desk)
    second = writing.create_article(desk.ivan, desk.it, change(desk))
    assert second.slug == f"{first.slug}-2"
    with pytest.raises(Refused) as refused:
        writing.update_article(desk.ivan, second, change(desk, slug=first.slug))
    assert refused.value.field == "slug"
    with pytest.raises(Refused):
        writing.create_article(desk.ivan, desk.it, change(desk, slug=first.slug))
    with pytest.raises(Refused) as bad:
        writing.create_article(desk.ivan, desk.it, change(desk, slug="Not a slug!"))
    assert bad.value.field == "slug"


def test_services_must_be_the_departments_own(desk):
    other = factories.make_service(desk.hr, slug="payslip", name="Payslip")
    with pytest.raises(Refused) as refused:
        writing.create_article(desk.ivan, desk.it, change(desk, service_ids=[other.id]))
    assert refused.value.field == "service_ids"


# Audience and reading ------------------------------------------------------------------


def test_a_department_only_article_is_404_for_everyone_else(desk, client, login):
    article = published(desk, audience=ArticleAudience.DEPARTMENT)
    with pytest.raises(NotFound):
        reading.article_page(desk.erin, "it", article.slug)
    assert isinstance(reading.article_page(desk.ivan, "it", article.slug), reading.ArticlePage)
    login(desk.erin)
    assert client.get(f"/d/it/help/{article.slug}").status_code == 404
    assert article.title not in client.get("/d/it/help").get_data(as_text=True)
    login(desk.hugo)
    assert client.get(f"/d/it/help/{article.slug}").status_code == 404
    login(desk.iris)
    assert article.title in client.get("/d/it/help").get_data(as_text=True)
    assert client.get(f"/d/it/help/{article.slug}").status_code == 200


def test_the_page_reads_the_role_in_the_articles_department_only(desk):
    """The article page reads the reader's role with the article, in one statement: a
    member of IT writes (and reads IT-only articles); HR's manager is nobody at IT; a
    deactivated agent holds no role."""
    article = published(desk, audience=ArticleAudience.DEPARTMENT)
    everyone = published(desk, title="Reset your password")
    assert reading.reading(desk.ivan, "it", article.slug).writes is True
    assert reading.reading(desk.iris, "it", article.slug).writes is True
    with pytest.raises(NotFound):
        reading.reading(desk.hugo, "it", article.slug)
    desk.ivan.active = False
    with pytest.raises(NotFound):
        reading.reading(desk.ivan, "it", article.slug)
    assert reading.reading(desk.hugo, "it", everyone.slug).writes is False
    assert reading.reading(desk.ivan, "it", everyone.slug).writes is False


def test_drafts_and_archived_articles_are_not_for_readers(desk, client, login):
    draft = writing.create_article(desk.ivan, desk.it, change(desk))
    login(desk.erin)
    assert client.get(f"/d/it/help/{draft.slug}").status_code == 404
    writing.set_status(desk.ivan, draft, ArticleStatus.PUBLISHED)
    assert client.get(f"/d/it/help/{draft.slug}").status_code == 200
    writing.set_status(desk.ivan, draft, ArticleStatus.ARCHIVED)
    assert client.get(f"/d/it/help/{draft.slug}").status_code == 404


def test_the_help_page_groups_by_service_then_general(desk, client, login):
    published(desk)
    published(desk, title="Lock your screen", service_ids=[], keywords="")
    login(desk.erin)
    html = client.get("/d/it/help").get_data(as_text=True)
    assert html.index("New laptop") < html.index("Set up a printer") < html.index("General")
    assert html.index("General") < html.index("Lock your screen")


def test_the_article_page_shows_related_articles_and_still_need_help(desk, client, login):
    article = published(desk)
    published(desk, title="Printer jams", keywords="toner")
    published(desk, title="Unrelated", service_ids=[], keywords="other")
    login(desk.erin)
    html = client.get(f"/d/it/help/{article.slug}").get_data(as_text=True)
    related = html[html.index("Related articles"):html.index("Still need help?")]
    assert "Printer jams" in related and "Unrelated" not in related
    assert "/d/it/new-laptop/request?title=Set+up+a+printer" in html
    form = client.get("/d/it/new-laptop/request?title=Set+up+a+printer").get_data(as_text=True)
    assert 'value="Set up a printer"' in form
    db.session.refresh(article)
    assert article.views == 1


def test_a_stale_article_says_so_to_readers_and_its_owner_hears_once(desk, client, login, app):
    article = published(desk, review_by=clock.now().date() - timedelta(days=1))
    login(desk.erin)
    assert "may be out of date" in client.get(f"/d/it/help/{article.slug}").get_data(as_text=True)
    with app.test_request_context():
        assert review.flag_overdue() == 1
        assert review.flag_overdue() == 0  # once per article and date
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.topic == "article.review"))
    assert mail.recipient == desk.ivan.email and article.title in mail.subject
    notice = db.session.scalar(select(Notification).where(Notification.user_id == desk.ivan.id))
    assert notice.link == f"/manage/it/articles/{article.id}"
    # A new date after the next review starts a new period.
    writing.update_article(
        desk.ivan, article, change(desk, review_by=clock.now().date() - timedelta(days=0))
    )
    later = clock.now() + timedelta(days=2)
    with app.test_request_context():
        assert review.flag_overdue(later) == 1


def test_the_scan_command_flags_stale_articles(desk, runner):
    published(desk, review_by=clock.now().date() - timedelta(days=3))
    result = runner.invoke(args=["requests", "scan"])
    assert result.exit_code == 0, result.output
    assert "Told the owners of 1 help article to review." in result.output


# Helpful votes -------------------------------------------------------------------------


def test_a_second_vote_changes_the_first(desk):
    article = published(desk)
    helpfulness.vote(desk.erin, "it", article.slug, helpfulness.VoteChange(True))
    helpfulness.vote(desk.erin, "it", article.slug, helpfulness.VoteChange(False, "Mac steps"))
    votes = db.session.scalars(select(ArticleVote)).all()
    assert len(votes) == 1 and votes[0].helpful is False and votes[0].missing == "Mac steps"
    db.session.refresh(article)
    assert (article.helpful_yes, article.helpful_no) == (0, 1)


def test_a_vote_with_htmx_answers_the_fragment(desk, client, login):
    article = published(desk)
    login(desk.erin)
    token = csrf_token_from(client.get(f"/d/it/help/{article.slug}").get_data(as_text=True))
    answer = client.post(
        f"/d/it/help/{article.slug}/vote",
        data={"csrf_token": token, "helpful": "no", "missing": "Nothing for Linux"},
        headers=HX,
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in html
    assert 'id="helpful"' in html and "Nothing for Linux" in html
    assert "HX-Request" in answer.headers["Vary"]
    plain = client.post(
        f"/d/it/help/{article.slug}/vote", data={"csrf_token": token, "helpful": "yes"}
    )
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#helpful")
    bad = client.post(
        f"/d/it/help/{article.slug}/vote", data={"csrf_token": token, "helpful": "maybe"},
        headers=HX,
    )
    assert bad.status_code == 422 and "Choose yes or no." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ArticleVote)) == 1


def test_a_vote_on_an_unpublished_article_is_404(desk, client, login):
    draft = writing.create_article(desk.ivan, desk.it, change(desk))
    with pytest.raises(NotFound):
        helpfulness.vote(desk.erin, "it", draft.slug, helpfulness.VoteChange(True))
    login(desk.erin)
    token = csrf_token_from(client.get("/d/it/help").get_data(as_text=True))
    answer = client.post(
        f"/d/it/help/{draft.slug}/vote", data={"csrf_token": token, "helpful": "yes"}
    )
    assert answer.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(ArticleVote)) == 0


def test_an_anonymous_vote_is_sent_to_sign_in(desk, client):
    article = published(desk)
    answer = client.post(f"/d/it/help/{article.slug}/vote", data={"helpful": "yes"})
    assert answer.status_code in (302, 400)
    assert db.session.scalar(select(func.count()).select_from(ArticleVote)) == 0


# Another department ---------------------------------------------------------------------


def test_another_departments_manager_cannot_edit_or_restore(desk, client, login):
    article = published(desk)
    writing.update_article(desk.ivan, article, change(desk, body="Second"))
    login(desk.hugo)
    token = csrf_token_from(client.get("/d/hr/help").get_data(as_text=True))
    base = f"/manage/it/articles/{article.id}"
    assert client.get(base).status_code == 404
    edit = client.post(base, data={"csrf_token": token, "title": "Hacked", "body": "x"})
    assert edit.status_code == 404
    assert client.post(f"{base}/revisions/1/restore", data={"csrf_token": token}).status_code == 404
    # Nor through their own department's address.
    assert client.get(f"/manage/hr/articles/{article.id}").status_code == 404
    assert client.post(f"/manage/hr/articles/{article.id}/revisions/1/restore",
                       data={"csrf_token": token}).status_code == 404
    db.session.refresh(article)
    assert article.title == "Set up a printer" and article.version == 2



def test_help_is_not_a_service_address(desk, client, login):
    """/d/<dept>/help belongs to the help articles: a service cannot take that address."""
    login(desk.iris)
    token = csrf_token_from(client.get("/manage/it/services/new").get_data(as_text=True))
    answer = client.post(
        "/manage/it/services/new",
        data={"csrf_token": token, "service-name": "Help", "service-slug": "help"},
    )
    assert answer.status_code == 422
    assert "help articles" in answer.get_data(as_text=True)


def test_without_javascript_the_preview_button_shows_the_text_and_saves_nothing(
    desk, client, login
):
    login(desk.ivan)
    token = csrf_token_from(client.get("/manage/it/articles/new").get_data(as_text=True))
    answer = client.post(
        "/manage/it/articles/new",
        data={"csrf_token": token, "title": "Printer", "body": "## Steps\n\n**Plug it in**",
              "audience": "everyone", "action": "preview"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" in html
    assert "<strong>Plug it in</strong>" in html and "<h2>Steps</h2>" in html
    assert 'value="Printer"' in html
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    fragment = client.post(
        "/manage/it/articles/preview", data={"csrf_token": token, "body": "*hi*"}, headers=HX
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert "<em>hi</em>" in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize(
    ("body", "levels"),
    [
        ("# Why\n\n## How\n\n### Detail", ["h2", "h3", "h4"]),  # # is an h2 under the title
        ("## Windows\n\n## Mac\n\n### Tip", ["h2", "h2", "h3"]),  # ## only: still from h2
        ("#### Deep\n\n##### Deeper\n\n###### Deepest", ["h2", "h3", "h4"]),
        ("# A\n\n###### F", ["h2", "h5"]),  # never below h5
    ],
)
def test_an_articles_headings_start_at_h2_whatever_level_it_was_written_at(body, levels):
    import re

    from portal.knowledge import markup

    assert re.findall(r"<(h[1-6])>", str(markup.render(body))) == levels


def test_readings_are_counted_in_batches_not_one_write_each(
    desk, client, login, app, monkeypatch
):
    """With a flush interval, readings wait in the process and reach the count together:
    the page views of the interval cost one UPDATE, not one each; nothing is lost."""
    from portal.knowledge.services import read_counts
    from tests.statements import count_statements

    article = published(desk)
    login(desk.erin)
    monkeypatch.setitem(app.config, "ARTICLE_VIEWS_FLUSH_SECONDS", 3600)
    read_counts.flush()  # the interval starts now
    with count_statements() as statements:
        for _ in range(5):
            assert client.get(f"/d/it/help/{article.slug}").status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert read_counts.pending() == 5
    db.session.refresh(article)
    assert article.views == 0
    assert read_counts.flush() == 5
    db.session.refresh(article)
    assert article.views == 5 and read_counts.pending() == 0
