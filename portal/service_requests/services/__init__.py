"""Service requests' use cases, one module each (see the modules' docstrings).

Re-exported here while other areas still import `services.<name>`."""

from portal.core.errors import NotFound, Refused  # noqa: F401
from portal.service_requests.services.access import *  # noqa: F403
from portal.service_requests.services.conversation import *  # noqa: F403
from portal.service_requests.services.history import *  # noqa: F403
from portal.service_requests.services.jobs import *  # noqa: F403
from portal.service_requests.services.lifecycle import *  # noqa: F403
from portal.service_requests.services.mine import *  # noqa: F403
from portal.service_requests.services.notices import *  # noqa: F403
from portal.service_requests.services.people import *  # noqa: F403
from portal.service_requests.services.promises import *  # noqa: F403
from portal.service_requests.services.queues import *  # noqa: F403
from portal.service_requests.services.recording import *  # noqa: F403
from portal.service_requests.services.submission import *  # noqa: F403
