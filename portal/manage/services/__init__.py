"""Department self-service, one use-case module per section of the manage pages (transitional
re-exports: callers import from the modules)."""

from portal.core.errors import NotFound  # noqa: F401
from portal.core.policy import manages as can_manage  # noqa: F401
from portal.manage.services.access import (  # noqa: F401
    active_person,
    check_manager,
    get_service,
    managed_department,
    may_manage_slug,
    owned_row,
    service_of,
)
from portal.manage.services.calendar import (  # noqa: F401
    CalendarChange,
    closures_text,
    country_names,
    holiday_countries,
    parse_closures,
    refresh_open_requests,
    time_zones,
    update_calendar,
)
from portal.manage.services.catalogue import (  # noqa: F401
    SERVICE_FIELDS,
    ServiceChange,
    categories,
    create_service,
    department_services,
    move_service,
    set_service_archived,
    update_service,
)
from portal.manage.services.contacts import (  # noqa: F401
    ContactChange,
    add_contact,
    department_contacts,
    move_contact,
    remove_contact,
)
from portal.manage.services.details import (  # noqa: F401
    DETAIL_FIELDS,
    DetailsChange,
    snapshot_details,
    update_details,
)
from portal.manage.services.form_builder import (  # noqa: F401
    CONTROLLERS,
    FIELD_AUDIT,
    KIND_LABELS,
    WITH_OPTIONS,
    FieldChange,
    add_field,
    field_options,
    form_fields,
    get_field,
    move_field,
    preview_fields,
    remove_field,
    update_field,
)
from portal.manage.services.hours import (  # noqa: F401
    END_OF_DAY,
    check_periods,
    format_periods,
    parse_periods,
    set_opening_hours,
    week_periods,
)
from portal.manage.services.members import (  # noqa: F401
    add_member,
    change_member_role,
    department_members,
    remove_member,
)
from portal.manage.services.rules import (  # noqa: F401
    EMAIL_PATTERN,
    Invalid,
    check_slug,
    locked_change,
    move_in_list,
    order_words,
    text_field,
)
from portal.manage.services.standards import (  # noqa: F401
    UNIT_MINUTES,
    StandardInput,
    Target,
    day_minutes,
    from_minutes,
    set_department_standards,
    set_service_standards,
    standards_inputs,
    standards_words,
    to_minutes,
)
