"""Issue 12 #12: PostgreSQL restarting mid-request gave bare gunicorn 500s, because the
rollback at teardown failed on the dead connection. Every request during an outage must
get the 503 page with Retry-After, and the portal must work again afterwards."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import signed_in_client


def test_a_failing_close_at_teardown_keeps_the_answer(build_app, app, monkeypatch):
    """The connection died after the page was rendered: closing the session (a rollback
    over the dead socket) fails at teardown. The page already chosen still goes out."""
    other = build_app()
    with other.app_context():
        user = factories.make_user()
        client, user_id = signed_in_client(other, user), user.id
    real_close = Session.close

    def close_over_a_dead_socket(self):
        real_close(self)
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "close", close_over_a_dead_socket)
    response = client.get(f"/people/{user_id}")
    monkeypatch.setattr(Session, "close", real_close)
    assert response.status_code == 200
    assert client.get(f"/people/{user_id}").status_code == 200  # and the next one works


def test_a_failing_rollback_does_not_hide_what_went_wrong(build_app, app, monkeypatch):
    """The rollback in write_transaction fails on a dead connection: the error that ended
    the block is the one raised (a refusal stays a 422, a database error a 503), and the
    connection is dropped instead of being handed back to the pool."""
    from portal import database
    from portal.core.errors import Refused

    other = build_app()
    with other.app_context():
        client = signed_in_client(other, factories.make_user())

        def dead(*_args, **_kwargs):
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

        monkeypatch.setattr(database.db.session, "rollback", dead)
        with pytest.raises(Refused), database.write_transaction():
            raise Refused("Choose a current colleague.", "on_behalf_of")
        monkeypatch.undo()
    assert client.get("/").status_code == 200


def _can_run_a_cluster() -> bool:
    from bench.db_restart import initdb_path

    if initdb_path() is None:
        return False
    return os.geteuid() != 0 or shutil.which("runuser") is not None


@pytest.mark.postgres_only
def test_postgresql_restarting_under_load_gives_no_500(tmp_path):
    """The real thing (bench/db_restart.py): a private cluster on port 5499, gunicorn with
    two workers, a bounded loopback load; the cluster is stopped and started mid-load."""
    if not _can_run_a_cluster():
        pytest.skip("PostgreSQL's initdb is not installed (or no runuser to run it as postgres)")
    from bench import db_restart

    figures = db_restart.run_once()
    statuses = figures["statuses"]
    assert statuses.get("500", 0) == 0 and figures["bare 5xx"] == 0, figures
    assert figures["503 without Retry-After"] == 0, figures
    assert statuses.get("503", 0) > 0, f"the restart was not seen: {figures}"
    assert figures["after restart"] == 200, figures
    assert not figures["connection errors"], figures
