"""Server flags of the allocation (see ``distrib_atp/server_flags.py``)."""

from odoo.addons.distrib_atp.server_flags import ServerFlag

# the pending moves whose demand the engine serves after the order being promised
# (orders of a lower allocation priority): a frozenset of stock.move ids
DEMAND_AFTER = ServerFlag("distrib_allocation_demand_after")
# a sourcing option being applied by a person: the line's write does not resolve
# the shortage itself (the option does, as the person's resolution)
APPLYING_OPTION = ServerFlag("distrib_allocation_applying_option")
