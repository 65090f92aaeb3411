"""The value chain's use cases, one per module: declaring (links a manager declares),
observing (the observed links, rebuilt by the insights refresh), mapping (the graph and its
layout), neighbours (a department page's "who we serve"), reaching (a person's chain to the
customer), goals (company goals and what serves them). Import the module you mean."""

from portal import stamps
from portal.models import ChainFlow, ChainLink, ChainPartnerFlow, CompanyGoal, GoalContribution

SCOPE = "chain"

for _model in (ChainLink, ChainFlow, ChainPartnerFlow, CompanyGoal, GoalContribution):
    stamps.watch(_model, lambda _row: (SCOPE,), (SCOPE,))
