"""Manage pages: thin views over the use cases in portal/manage/services. Every form posts
and redirects (303) without JavaScript; with htmx the same template answers with the section
that changed (named blocks `<section>_section`), in place. Anyone who may not manage the
department gets 404 (core NotFound, answered app-wide), for every page and every POST."""

from portal.manage.views import (  # noqa: F401
    approval_steps,
    catalogue,
    chain_links,
    form_builder,
    people,
    search_gaps,
    sections,
)
