"""Server flags of the allocation (see ``distrib_atp/server_flags.py``)."""

from odoo.addons.distrib_atp.server_flags import ServerFlag

# the pending moves whose demand the engine serves after the order being promised
# (orders of a lower allocation priority): a frozenset of stock.move ids
DEMAND_AFTER = ServerFlag("distrib_allocation_demand_after")
# a sourcing option being applied by a person: the line's write does not resolve
# the shortage itself (the option does, as the person's resolution)
APPLYING_OPTION = ServerFlag("distrib_allocation_applying_option")
# reservations moved by the re-allocation itself: its own notice tells the orders
# whose promise moved (the reservation does not re-check them a second time)
REALLOCATING = ServerFlag("distrib_allocation_reallocating")
# the writes of a sale order line applying a sourcing option, collected to give
# the other lines of the same option the same values in one write: a list
LINE_WRITES = ServerFlag("distrib_allocation_line_writes")
