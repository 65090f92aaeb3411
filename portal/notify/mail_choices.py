"""What the worker does with people's choices, per claimed batch (two reads at most):
an e-mail whose reader turned its kind off is skipped, not sent; every other e-mail of a
kind gets its reader's one-click unsubscribe link (List-Unsubscribe, see delivery).

Skipping at delivery rather than at queueing keeps the busy write paths (submitting a
request) free of reads, and a choice made after an e-mail was queued still holds.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from portal.extensions import db
from portal.models import Department, MailOptOut, OutboxChannel, User
from portal.models.accounts import SERVICE_EMAIL_DOMAIN
from portal.notify import unsubscribe
from portal.notify.delivery import Delivery
from portal.notify.kinds import kind_of


def sort_out(deliveries: list[Delivery]) -> tuple[list[Delivery], set[int]]:
    """(the deliveries, with unsubscribe links where they apply; the ids to skip)."""
    kinds = {
        d.id: kind_of(d.topic, d.payload) for d in deliveries if d.channel == OutboxChannel.EMAIL
    }
    wanted = [d for d in deliveries if kinds.get(d.id)]
    teams = {d.id: (d.payload or {}).get("team") for d in wanted}
    people = _people([d.recipient for d in wanted if not isinstance(teams[d.id], int)])
    team_kinds = _team_kinds({t for t in teams.values() if isinstance(t, int)})
    skip: set[int] = set()
    out = []
    for delivery in deliveries:
        if delivery.channel == OutboxChannel.EMAIL and _to_a_service_account(delivery):
            skip.add(delivery.id)  # a service account reads no e-mail
            out.append(delivery)
            continue
        kind = kinds.get(delivery.id)
        team = teams.get(delivery.id)
        token = None
        if kind and isinstance(team, int):
            if kind not in team_kinds.get(team, set()):
                skip.add(delivery.id)
            token = unsubscribe.token_for_team(team, kind)
        elif kind and delivery.recipient.strip().lower() in people:
            user_id, off = people[delivery.recipient.strip().lower()]
            if kind in off:
                skip.add(delivery.id)
            token = unsubscribe.token_for_person(user_id, kind)
        if token and delivery.id not in skip:
            payload = {**(delivery.payload or {}), "unsubscribe": unsubscribe.link(token)}
            delivery = replace(delivery, payload=payload)
        out.append(delivery)
    return out, skip


def _to_a_service_account(delivery: Delivery) -> bool:
    return delivery.recipient.strip().lower().endswith("@" + SERVICE_EMAIL_DOMAIN)


def _people(addresses: list[str]) -> dict[str, tuple[int, set[str]]]:
    """address (lower-case) → (user id, kinds turned off), for the active people among them."""
    lowered = sorted({a.strip().lower() for a in addresses})
    if not lowered:
        return {}
    rows = db.session.execute(
        select(User.id, User.email, MailOptOut.kind)
        .outerjoin(MailOptOut, MailOptOut.user_id == User.id)
        .where(User.email.in_(lowered), User.active)
    ).all()
    found: dict[str, tuple[int, set[str]]] = {}
    for user_id, email, kind in rows:
        _, off = found.setdefault(email.lower(), (user_id, set()))
        if kind:
            off.add(kind)
    return found


def _team_kinds(department_ids: set[int]) -> dict[int, set[str]]:
    if not department_ids:
        return {}
    rows = db.session.execute(
        select(Department.id, Department.team_mail_kinds).where(Department.id.in_(department_ids))
    ).all()
    return {row.id: set((row.team_mail_kinds or "").split()) for row in rows}
