"""The notification preferences form: which kinds of e-mail (portal.notify.kinds) to get.
Used by a person's own page and by a department's team mailbox section on /manage/<dept>."""

from __future__ import annotations

from wtforms import SelectMultipleField

from portal.core.forms import Form


class MailKindsForm(Form):
    # The kinds are checked by the service (one message for any unknown kind, beside the
    # field), not by WTForms' "Not a valid choice".
    kinds = SelectMultipleField("Kinds of e-mail", choices=[], validate_choice=False)

    def wanted(self) -> set[str]:
        return {str(kind) for kind in (self.kinds.data or [])}
