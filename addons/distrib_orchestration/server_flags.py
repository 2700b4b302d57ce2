"""Context flags that only server code can set.

A client sends its context as JSON-RPC or XML-RPC data: it can give any key any
plain value (``{"distrib_skip_checks": true}``). A control that server code turns
off for itself (the checks at confirmation once a manager released the hold, the
order notifications while the order itself cancels its deliveries) is keyed on a
Python object compared by identity, which no RPC payload can carry.
"""


class ServerFlag:
    """A context value that only Python code of the server can put in a context."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"<ServerFlag {self.key}>"

    def set_on(self, records):
        """``records`` with the flag on in their context."""
        return records.with_context(**{self.key: self})

    def is_on(self, env):
        """Whether server code set the flag (a client's value never counts)."""
        return env.context.get(self.key) is self

    def cleared(self, records):
        """``records`` with the flag off (and a client's value of the key gone)."""
        return records.with_context(**{self.key: None})


# the confirmation of held orders that a manager released
SKIP_CHECKS = ServerFlag("distrib_skip_checks")
# documents that an order's own transition updates: the order recomputes once
NO_NOTIFY = ServerFlag("distrib_no_notify")
