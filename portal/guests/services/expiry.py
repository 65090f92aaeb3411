"""The daily expiry job (`flask guests expire`, with the other cron commands): a warning to
the sponsor a week before a guest's access ends, and the end on the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.guests.services.sponsorship import end_access
from portal.models import Guest
from portal.notify import email

WARN_BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class ExpiryRun:
    warned: int
    ended: int


def run(now: datetime | None = None) -> ExpiryRun:
    now = now or clock.now()
    warned = ended = 0
    with write_transaction():
        current = select(Guest).where(Guest.ended_at.is_(None)).options(
            joinedload(Guest.user), joinedload(Guest.sponsor), joinedload(Guest.sponsor_department)
        )
        for guest in db.session.scalars(current.where(Guest.expires_at <= now)).unique():
            end_access(guest, None, "guest.expire")
            ended += 1
        soon = current.where(
            Guest.expires_at > now, Guest.expires_at <= now + WARN_BEFORE, Guest.warned_at.is_(None)
        )
        for guest in db.session.scalars(soon).unique():
            guest.warned_at = now
            sponsor = guest.sponsor
            if sponsor is None or not sponsor.active:
                continue
            path = f"/manage/{guest.sponsor_department.slug}/guests"
            email.enqueue(
                sponsor.email,
                "guest_expiring",
                topic="guest.expiring",
                dedupe_key=f"guest.expiring:{guest.id}:{guest.expires_at.date().isoformat()}",
                guest=guest,
                link=f"{current_app.config['PORTAL_URL']}{path}",
            )
            warned += 1
    return ExpiryRun(warned, ended)


def has_expired(guest: Guest | None, now: datetime | None = None) -> bool:
    return (
        guest is None
        or guest.ended_at is not None
        or clock.aware(guest.expires_at) <= (now or clock.now())
    )
