"""Department self-service: managers (and portal admins) keep their department's page
true. One use-case module per section of the manage pages:

    access        who may manage (the rule: portal.core.policy.manages); the department's
                  own rows for its managers, NotFound for anything else
    rules         `Invalid` (a whole change refused, one message per field), the text and
                  slug rules, `locked_change` (one write transaction, the department row locked)
    details       mission, how to reach the team
    calendar      time zone, public holidays, closures
    hours         opening hours
    standards     response standards, for the department and per service
    catalogue     the department's services
    form_builder  the questions of a service's request form
    contacts      the contacts on the department's page
    members       agents and managers

Every change takes the acting user first and checks they may manage the department
(`NotFound` otherwise, so the page answers 404 whether the department exists or not),
validates the whole change before writing anything (`Invalid`), and writes it in ONE
transaction with its audit entry and the search index; the directory's caches are cleared
after the commit.
"""
