"""Issue 14's bad input for help articles: hostile Markdown (script, onerror, javascript: and
data: links, hx-* attributes) never survives as markup; 200,000 characters, NUL and bidi
controls answer 422 beside the field with the input kept; hostile ids answer 404."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.knowledge import markup
from portal.knowledge.services import writing
from portal.models import Article, ArticleStatus
from tests.conftest import csrf_token_from

HX = {"HX-Request": "true"}
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a hx-get="/admin" hx-trigger="load">x</a>',
    '<div hx-post="/wall" hx-trigger="load">x</div>',
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "<iframe src=https://evil.example></iframe>",
    '[ok](https://example.com "title" onclick=alert(1))',
]


class Tags(HTMLParser):
    """Every tag and attribute the browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def assert_harmless(html: str) -> None:
    tags = parsed(html)
    assert not {"script", "img", "iframe", "svg", "div"} & set(tags.tags), tags.tags
    for name, value in tags.attributes:
        assert not name.startswith(("on", "hx-", "data-hx")), name
        if name in ("href", "src"):
            assert value.startswith(("https:", "http:", "mailto:", "/", "#")), value


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_markdown_renders_harmless(body):
    assert_harmless(str(markup.render(body)))


@pytest.fixture
def desk(worlds):
    return worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))


def test_hostile_bodies_are_stored_as_text_and_shown_harmless(desk, client, login):
    article = writing.create_article(
        desk.ivan, desk.it, writing.ArticleChange(title="Hostile", body="\n\n".join(HOSTILE))
    )
    writing.set_status(desk.ivan, article, ArticleStatus.PUBLISHED)
    login(desk.erin)
    html = client.get(f"/d/it/help/{article.slug}").get_data(as_text=True)
    body = html[html.index('class="article-body prose"'):html.index('class="article-aside"')]
    assert_harmless(body)
    assert "&lt;script&gt;" in body  # shown as the text that was typed


def test_the_live_preview_is_a_sanitised_fragment(desk, client, login):
    login(desk.ivan)
    token = csrf_token_from(client.get("/manage/it/articles/new").get_data(as_text=True))
    for body in HOSTILE:
        answer = client.post(
            "/manage/it/articles/preview", data={"csrf_token": token, "body": body}, headers=HX
        )
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200 and "<html" not in html
        assert_harmless(html)


def new_article(client, token, **fields):
    data = {"csrf_token": token, "title": "Printer", "audience": "everyone"} | fields
    return client.post("/manage/it/articles/new", data=data)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * 200_000, "The text must be 50,000 characters or fewer."),
        ("y" * 50_001, "The text must be 50,000 characters or fewer."),
        ("a\x00b", "Remove the invisible control characters from this text."),
        ("pay \u202eevil\u202c here", "Remove the invisible text-direction characters"),
        ("isolate \u2067x\u2069", "Remove the invisible text-direction characters"),
    ],
    ids=["200000", "50001", "nul", "bidi-override", "bidi-isolate"],
)
def test_bad_bodies_are_refused_beside_the_field_with_the_input_kept(
    desk, client, login, body, message
):
    login(desk.ivan)
    token = csrf_token_from(client.get("/manage/it/articles/new").get_data(as_text=True))
    answer = new_article(client, token, body=body, summary="Kept summary")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    error = html[html.index('id="body-error"'):]
    assert message in error[:300]
    assert 'value="Kept summary"' in html
    if "\x00" not in body:
        assert body[:1000] in html
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    preview = client.post(
        "/manage/it/articles/preview", data={"csrf_token": token, "body": body}, headers=HX
    )
    assert preview.status_code == 422 and "<html" not in preview.get_data(as_text=True)


def test_fifty_thousand_characters_are_accepted(desk, client, login):
    login(desk.ivan)
    token = csrf_token_from(client.get("/manage/it/articles/new").get_data(as_text=True))
    assert new_article(client, token, body="z" * 50_000).status_code == 303


def test_bidi_controls_in_the_title_and_nul_in_a_vote_are_refused(desk, client, login):
    login(desk.ivan)
    token = csrf_token_from(client.get("/manage/it/articles/new").get_data(as_text=True))
    assert new_article(client, token, title="Pay\u202eroll").status_code == 422
    article = writing.create_article(desk.ivan, desk.it, writing.ArticleChange(title="Ok"))
    writing.set_status(desk.ivan, article, ArticleStatus.PUBLISHED)
    login(desk.erin)
    answer = client.post(
        f"/d/it/help/{article.slug}/vote",
        data={"csrf_token": token, "helpful": "no", "missing": "a\x00b"},
        headers=HX,
    )
    assert answer.status_code == 422 and "<html" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "-1", "0", "9" * 20, "1e3", "%00"])
def test_hostile_ids_answer_404(desk, client, login, value):
    login(desk.ivan)
    token = csrf_token_from(client.get("/manage/it/articles/new").get_data(as_text=True))
    for path in (
        f"/manage/it/articles/{value}",
        f"/manage/it/articles/{value}/revisions",
        f"/manage/it/articles/{value}/diff?from=1&to=2",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(
        f"/manage/it/articles/{value}/revisions/1/restore", data={"csrf_token": token}
    ).status_code == 404


def test_hostile_slugs_answer_404(desk, client, login):
    login(desk.erin)
    for slug in ("%00", "a" * 300, "..", "%E2%80%AE"):
        assert client.get(f"/d/it/help/{slug}").status_code == 404
    assert client.get("/d/%00/help").status_code == 404
