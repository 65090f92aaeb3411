"""The recognition wall's use cases, one module each. Views call these; nothing here
reads flask.request. While callers move to the modules, the names are re-exported here."""

from portal.core.errors import NotFound, Refused  # noqa: F401
from portal.recognition.services.feed import *  # noqa: F403
from portal.recognition.services.highlights import *  # noqa: F403
from portal.recognition.services.moderation import *  # noqa: F403
from portal.recognition.services.posting import *  # noqa: F403
from portal.recognition.services.reactions import *  # noqa: F403
from portal.recognition.services.recipients import *  # noqa: F403
from portal.recognition.services.values import *  # noqa: F403
from portal.recognition.services.visibility import *  # noqa: F403
