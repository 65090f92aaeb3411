"""Each department's offer on its own row: how many active services it has and the sum of
their popularity (`Department.offered_services`, `offered_popularity`). The home page's
most asked cards and the A-to-Z read them with the department, instead of counting every
service on each view (5,000 with the bench data: 1.2 ms of a 2.8 ms page).

Kept the way the version stamps are (portal/stamps.py): listeners on every session recount
the departments whose services a flush adds, archives, moves, re-weighs or deletes, in that
flush's own transaction; a bulk ORM statement on services (the bench data's inserts) has
every department recounted before its transaction commits. A writer that skips the session
calls `recount` itself. The figures are always counted again from the services, never added
to, so they cannot drift from what the services say.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, event, inspect, text
from sqlalchemy.orm import Session

from portal.models import Department, Service
from portal.stamps import bulk_write_class

_RECOUNTED = "offers.recounted"  # department ids recounted by the flush just run
_ALL = "offers.all"  # a bulk statement wrote services: recount everything before commit
_OFFER = ("active", "popularity", "department_id")  # what a service's offer depends on
_FIGURES = ("offered_services", "offered_popularity")

_SET = (
    "UPDATE department SET "
    "offered_services = (SELECT count(*) FROM service "
    "WHERE service.department_id = department.id AND service.active), "
    "offered_popularity = (SELECT coalesce(sum(service.popularity), 0) FROM service "
    "WHERE service.department_id = department.id AND service.active)"
)
_RECOUNT_SOME = text(f"{_SET} WHERE department.id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_RECOUNT_ALL = text(_SET)


def recount(session: Session, department_ids: Iterable[int] | None = None) -> None:
    """Count these departments' offers again from their services (every department's when
    `department_ids` is None), in the session's transaction."""
    if department_ids is None:
        session.connection().execute(_RECOUNT_ALL)
        return
    ids = sorted(set(department_ids))  # one order: concurrent writers lock rows alike
    if ids:
        session.connection().execute(_RECOUNT_SOME, {"ids": ids})


def _touched(service: Service, is_new_or_gone: bool) -> set[int]:
    """The departments whose offer a service's change moves: its own and any it left."""
    state = inspect(service)
    if not is_new_or_gone and not any(state.attrs[name].history.has_changes() for name in _OFFER):
        return set()
    found = {service.department_id, *state.attrs.department_id.history.deleted}
    return {i for i in found if i is not None}


@event.listens_for(Session, "after_flush")
def _recount_after_flush(session: Session, _context) -> None:
    # The session's lists and histories still show what this flush wrote; a new service's
    # department_id is set by now, even when it was given as a relationship.
    touched: set[int] = set()
    for obj in session.new | session.deleted:
        if isinstance(obj, Service):
            touched |= _touched(obj, True)
    for obj in session.dirty:
        if isinstance(obj, Service):
            touched |= _touched(obj, False)
    if touched:
        recount(session, touched)
        session.info[_RECOUNTED] = touched


@event.listens_for(Session, "after_flush_postexec")
def _forget_stale_figures(session: Session, _context) -> None:
    """A department the session holds shows the new figures when next read."""
    for department_id in session.info.pop(_RECOUNTED, ()):
        held = session.identity_map.get((Department, (department_id,), None))
        if held is not None:
            session.expire(held, _FIGURES)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(orm_execute_state) -> None:
    if bulk_write_class(orm_execute_state) is Service:
        orm_execute_state.session.info[_ALL] = True


@event.listens_for(Session, "before_commit")
def _recount_after_bulk_writes(session: Session) -> None:
    if session.info.pop(_ALL, False):
        session.flush()
        recount(session)  # the commit then expires what the session holds


@event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session: Session, transaction) -> None:
    if transaction.parent is None or transaction.nested:
        session.info.pop(_ALL, None)
