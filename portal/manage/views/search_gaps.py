"""What people looked for and did not find, on the department's manage page: add the words
to a service's keywords (writing an article is a link to the help area's form)."""

from __future__ import annotations

from flask_login import current_user

from portal.manage import bp, forms
from portal.manage.services import catalogue, search_gaps
from portal.manage.services.rules import Invalid
from portal.manage.views.department_page import managed, section_refused, section_saved


@bp.post("/search-gaps/<int:gap_id>/keywords")
def add_gap_to_keywords(dept: str, gap_id: int):
    department = managed(dept)
    form = forms.GapKeywordsForm(service_choices=catalogue.department_services(department))
    if not form.validate():
        return section_refused(department, "gaps", ["Reload the page and try again."])
    service_id = form.chosen_service_id()
    if service_id is None:
        problem = "Choose the service whose keywords should include these words."
        return section_refused(department, "gaps", [problem], gap_problem=gap_id)
    try:
        service = search_gaps.add_search_to_keywords(current_user, department, gap_id, service_id)
    except Invalid as exc:
        return section_refused(
            department,
            "gaps",
            list(exc.errors.values()),
            gap_problem=gap_id,
            gap_choice=str(service_id),
        )
    return section_saved(
        department,
        "gaps",
        f"Added to the keywords of {service.name}: people searching for those words find it now.",
        focus="gaps-title",
    )
