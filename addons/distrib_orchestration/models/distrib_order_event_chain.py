from odoo import fields, models


class DistribOrderEventChain(models.Model):
    """The head of a company's chain of order events: its last sequence and hash.

    One row per company. Sealing events updates the row: a transaction that
    started before another one sealed events of the same company gets a
    serialization failure on it (Odoo's transactions run in REPEATABLE READ and
    would not see the other's events), and Odoo replays the call with a fresh
    snapshot, so every event chains on the one committed just before it.
    """

    _name = "distrib.order.event.chain"
    _description = "Order Event Chain"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    last_sequence = fields.Integer(readonly=True)
    last_hash = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "A company has one chain of order events.",
        ),
    ]
