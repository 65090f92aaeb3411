"""The recognition wall: thanks to people and teams in front of their peers, company
values, reactions and add-ons, moderation. No leaderboard of individuals."""

from flask import Blueprint

bp = Blueprint("recognition", __name__)

from portal.recognition import views  # noqa: E402,F401
