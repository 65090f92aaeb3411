"""Administration: where a department's old slugs now point, and who reports to whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import Department


class DepartmentSlugRedirect(db.Model):
    """A slug a department had before a rename (or the slug of a department merged into
    it). `/d/<old_slug>/...` answers 301 to the same path under the department's slug."""

    __tablename__ = "department_slug_redirect"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(64), unique=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    department: Mapped[Department] = relationship()


class ReportingLine(db.Model):
    """Who a person reports to, as the HR import says (one manager per person)."""

    __tablename__ = "reporting_line"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    manager: Mapped[User] = relationship(foreign_keys=[manager_id])


class OrgImportUpload(db.Model):
    """An uploaded org file between its dry run and the admin's "Import": kept in the
    database (not on one machine's disk) so any worker can apply it; deleted once used."""

    __tablename__ = "org_import_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
