"""Context flags that only server code can set.

A client sends its context as JSON-RPC or XML-RPC data: it can give any key any
plain value (``{"distrib_skip_checks": true}``). A control that server code turns
off for itself (the checks at confirmation once a manager released the hold, the
order notifications while the order itself cancels its deliveries) is keyed on a
Python object compared by identity, which no RPC payload can carry.
"""


class _FlagValue:
    """The value a flag carries; only this module builds one."""

    __slots__ = ("flag", "value")

    def __init__(self, flag, value):
        self.flag = flag
        self.value = value


class ServerFlag:
    """A context value that only Python code of the server can put in a context."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"<ServerFlag {self.key}>"

    def set_on(self, records, value=True):
        """``records`` with the flag on (carrying ``value``) in their context."""
        return records.with_context(**{self.key: _FlagValue(self, value)})

    def get(self, env, default=None):
        """The value server code set, or ``default`` (a client's value never
        counts)."""
        carried = env.context.get(self.key)
        if isinstance(carried, _FlagValue) and carried.flag is self:
            return carried.value
        return default

    def is_on(self, env):
        """Whether server code set the flag (a client's value never counts)."""
        return bool(self.get(env))

    def cleared(self, records):
        """``records`` with the flag off (and a client's value of the key gone)."""
        return records.with_context(**{self.key: None})


# the confirmation of held orders that a manager released
SKIP_CHECKS = ServerFlag("distrib_skip_checks")
# documents that an order's own transition updates: the order recomputes once
NO_NOTIFY = ServerFlag("distrib_no_notify")
# bills whose action_post already ran the posting controls (distrib_exceptions)
POST_CHECKED = ServerFlag("distrib_post_checked_ids")
# documents that the intercompany sync itself changes (distrib_intercompany)
IC_SYNCING = ServerFlag("distrib_ic_syncing")
# the destination a return authorization gives its return picking
RETURN_LOCATION = ServerFlag("distrib_return_location_id")
# the approval requests whose approval resumes the held action (distrib_exceptions)
APPROVAL_RESUMED = ServerFlag("distrib_approved_request_ids")
