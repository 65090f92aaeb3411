"""Deflection (issue 14 item 4): a request form closed by "This answered my question" on
a suggested article, counted once per form for the article, its service and department.

The form carries a token signed with the portal's secret naming the person, the service
and the form (its idempotency token): a token made for someone else, another service,
altered or older than MAX_AGE answers NotFound and records nothing, so nobody can count
deflections on another person's form, and the same form counts once however often it
is sent."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core import clock
from portal.core.errors import NotFound
from portal.database import write_transaction
from portal.extensions import db
from portal.knowledge.services.access import may_read
from portal.models import Article, ArticleStatus, Deflection, Service, User

SALT = "inward.deflection"
MAX_AGE = 24 * 3600  # a form left open over a day must be reloaded to count
MAX_FORM_TOKEN = 64


@dataclass(frozen=True)
class Closed:
    """The form closed by an article: what the closing message names."""

    deflection: Deflection
    article: Article
    service: Service


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user: User, service: Service, form_token: str) -> str | None:
    """The signed token a suggestion's button carries (None for a form without a usable
    token of its own: then nothing can be counted)."""
    if not isinstance(form_token, str) or not 0 < len(form_token) <= MAX_FORM_TOKEN:
        return None
    return _serializer().dumps([user.id, service.id, form_token])


def _form_token(user: User, service: Service, token: object) -> str:
    """The form's own token, when `token` was signed for this person and this service."""
    if not isinstance(token, str) or len(token) > 400:
        raise NotFound
    try:
        user_id, service_id, form_token = _serializer().loads(token, max_age=MAX_AGE)
    except (BadData, TypeError, ValueError) as exc:
        raise NotFound from exc
    if user_id != user.id or service_id != service.id or not isinstance(form_token, str):
        raise NotFound
    return form_token


def _article(user: User, service: Service, article_id: int | None) -> Article:
    article = db.session.get(Article, article_id) if isinstance(article_id, int) else None
    if (
        article is None
        or article.department_id != service.department_id
        or article.status is not ArticleStatus.PUBLISHED
        or not may_read(user, article)
    ):
        raise NotFound
    return article


def answered(
    user: User, service: Service, article_id: int | None, token: object, now=None
) -> Closed:
    """Count the form as answered by the article (once per form: a second answer, or the
    same one sent twice, keeps the first). `now`: the demo's history only."""
    form_token = _form_token(user, service, token)
    article = _article(user, service, article_id)
    existing = _existing(form_token)
    if existing is None:
        try:
            with write_transaction(keep_loaded=True):
                existing = Deflection(
                    article_id=article.id,
                    service_id=service.id,
                    department_id=service.department_id,
                    user_id=user.id,
                    form_token=form_token,
                    created_at=clock.now(now),
                )
                db.session.add(existing)
        except IntegrityError:  # the same form sent twice at once: the other one counted
            existing = _existing(form_token)
            if existing is None:
                raise
    counted = db.session.get(Article, existing.article_id) or article
    return Closed(existing, counted, service)


def _existing(form_token: str) -> Deflection | None:
    return db.session.scalar(select(Deflection).where(Deflection.form_token == form_token))
