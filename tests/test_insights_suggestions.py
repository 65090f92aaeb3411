"""Suggestions service (issue 5, item 3), on SQLite and PostgreSQL."""

import pytest

from portal.core.errors import Refused
from portal.extensions import db
from portal.insights.suggestions import (
    post_suggestion,
    set_status,
    vote,
)
from portal.models import SuggestionStatus, SuggestionVote


def test_post_vote_once_and_answer(app, make_user, make_department):
    it = make_department(name="IT")
    erin = make_user()
    ivan = make_user(roles={it: "agent"})
    suggestion = post_suggestion(erin, it, "  Longer printer hours ")
    db.session.commit()
    assert suggestion.title == "Longer printer hours"

    assert vote(ivan, suggestion) is True
    assert vote(ivan, suggestion) is False
    db.session.commit()
    assert suggestion.votes == 1
    assert db.session.query(SuggestionVote).count() == 1

    set_status(ivan, suggestion, "done", "Printers now open until 19:00.")
    db.session.commit()
    assert suggestion.status is SuggestionStatus.DONE
    assert suggestion.reply == "Printers now open until 19:00."


def test_refusals_change_nothing(app, make_user, make_department):
    it = make_department(name="IT")
    hr = make_department(name="HR")
    erin = make_user()
    hugo = make_user(roles={hr: "manager"})
    suggestion = post_suggestion(erin, it, "Fewer passwords")
    db.session.commit()
    with pytest.raises(Refused):
        post_suggestion(erin, it, "   ")
    with pytest.raises(Refused):
        set_status(hugo, suggestion, "planned")  # another department's manager
    with pytest.raises(Refused):
        set_status(erin, suggestion, "planned")  # not a member
    ivan = make_user(roles={it: "agent"})
    with pytest.raises(Refused):
        set_status(ivan, suggestion, "wont_do")  # a reply is required
    with pytest.raises(Refused):
        set_status(ivan, suggestion, "bogus")
    db.session.rollback()
    db.session.refresh(suggestion)
    assert suggestion.status is SuggestionStatus.NEW
