from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow

if TYPE_CHECKING:
    from portal.models.accounts import Membership, User


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return _PRIORITY_LABELS[self]  # a table built once: lists ask for it on every row


_PRIORITY_LABELS = {priority: priority.value.capitalize() for priority in Priority}
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]


def _str_enum(enum_cls: type[enum.StrEnum], length: int = 16) -> Enum:
    return Enum(
        enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Department(db.Model):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    mission: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    location: Mapped[str | None] = mapped_column(String(200))
    chat_channel: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    holiday_country: Mapped[str | None] = mapped_column(String(2))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(10))
    # A name from the fixed palette in the stylesheet (CSP allows no inline styles).
    accent: Mapped[str] = mapped_column(String(20), default="slate")
    # Used to derive a request key prefix later (IT-1042).
    key_prefix: Mapped[str] = mapped_column(String(10), default="")
    # The last request number given out (IT-1042 → 1042); incremented in the submitting
    # transaction, so keys stay unique under parallel submissions.
    request_counter: Mapped[int] = mapped_column(Integer, default=0)
    # Slack/Teams-style incoming webhook for new and breached requests (checked on save
    # and again on delivery: no loopback, link-local or private address unless allow-listed).
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The address replies to the department's e-mails go to (one of its inbound
    # addresses, portal.mail_in): each e-mail about a request says reply to
    # it-help+IT-131.<signature>@…. Kept here so a notice needs no extra read.
    mail_address: Mapped[str | None] = mapped_column(String(254))
    # The kinds of e-mail (portal.notify.kinds.TEAM_KINDS) the team mailbox (`email`) gets
    # a copy of, space-separated; chosen by a manager. On the row so a notice needs no read.
    team_mail_kinds: Mapped[str] = mapped_column(String(400), default="")
    # What it offers: how many active services and the sum of their popularity, kept by
    # portal.directory.offers in the transaction of every write to a service, so that the
    # home page and the A-to-Z read one row per department, not every service.
    offered_services: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    offered_popularity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    services: Mapped[list[Service]] = relationship(
        back_populates="department", order_by="Service.position, Service.name"
    )
    opening_hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="department",
        cascade="all, delete-orphan",
        order_by="OpeningHours.weekday, OpeningHours.opens",
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="Closure.day"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="Contact.position"
    )
    standards: Mapped[list[ResponseStandard]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.slug}>"


class OpeningHours(db.Model):
    """One opening interval on a weekday (0 = Monday), in the department's time zone."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        UniqueConstraint("department_id", "weekday", "opens"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    department: Mapped[Department] = relationship(back_populates="opening_hours")


class Closure(db.Model):
    """A day the department is closed besides public holidays (e.g. office move)."""

    __tablename__ = "department_closure"
    __table_args__ = (UniqueConstraint("department_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    department: Mapped[Department] = relationship(back_populates="closures")


class Service(db.Model):
    __tablename__ = "service"
    __table_args__ = (
        UniqueConstraint("department_id", "slug"),
        # The home page's most popular services, read in this order (migration 0031).
        Index("ix_service_popularity", text("popularity DESC"), "name"),
        # A department's services; and the home page's count and popularity of each
        # department's active ones, from the index alone (migration 0032).
        Index("ix_service_department_offer", "department_id", "active", "popularity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The department it left is known when it moves, even if not loaded before (active
    # history): portal.directory.offers recounts both.
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), active_history=True
    )
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    what_to_include: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80), default="General")
    keywords: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    popularity: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Guests sponsored by the department may request it (issue 18).
    open_to_partners: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    department: Mapped[Department] = relationship(back_populates="services")
    standards: Mapped[list[ResponseStandard]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="service", order_by="Contact.position"
    )

    def __repr__(self) -> str:
        return f"<Service {self.slug}>"


class Contact(db.Model):
    """Who to ask: a person, or a shared mailbox or channel, with a role label."""

    __tablename__ = "contact"
    __table_args__ = (
        CheckConstraint(
            "user_id IS NOT NULL OR mailbox IS NOT NULL OR channel IS NOT NULL",
            name="person_or_mailbox",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(120))
    mailbox: Mapped[str | None] = mapped_column(String(254))
    channel: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(back_populates="contacts")
    service: Mapped[Service | None] = relationship(back_populates="contacts")
    user: Mapped[User | None] = relationship()


class ResponseStandard(db.Model):
    """A promise per priority, in business minutes: the department's default
    (service_id NULL) or a service's override."""

    __tablename__ = "response_standard"
    __table_args__ = (
        CheckConstraint("first_response_minutes > 0", name="first_response_positive"),
        CheckConstraint(
            "resolution_minutes >= first_response_minutes", name="resolution_after_first"
        ),
        Index(
            "uq_response_standard_department_default",
            "department_id",
            "priority",
            unique=True,
            sqlite_where=db.text("service_id IS NULL"),
            postgresql_where=db.text("service_id IS NULL"),
        ),
        Index("uq_response_standard_service", "service_id", "priority", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    priority: Mapped[Priority] = mapped_column(_str_enum(Priority))
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)

    department: Mapped[Department] = relationship(back_populates="standards")
    service: Mapped[Service | None] = relationship(back_populates="standards")
