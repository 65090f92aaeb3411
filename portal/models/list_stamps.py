"""Version stamps for rendered request lists (queues, "my requests").

Every change to a request bumps the stamps of the lists it appears in, in the same
transaction as the change (portal.service_requests.list_cache), so a rendered list
cached under an older stamp is never shown again once the change is committed."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class ListStamp(db.Model):
    __tablename__ = "request_list_stamp"

    # "department:<id>", "person:<id>", or "all" (a change whose lists are not known).
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
