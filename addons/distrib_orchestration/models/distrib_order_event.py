import hashlib
import json
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, create_index

from odoo.addons.distrib_atp.rpc import distrib_rpc

from .sale_order import DISTRIB_STATES

# the columns an event's hash covers, in this order (the order's id and name are
# copied on the event: the trail outlives a deleted order)
HASHED_COLUMNS = (
    "company_id",
    "chain_sequence",
    "order_ref_id",
    "order_name",
    "from_state",
    "to_state",
    "date",
    "user_id",
    "reason",
    "res_model",
    "res_id",
    "reference",
)
SEAL_BATCH = 1000
SEAL_HOOK = "distrib_orchestration.seal"

_logger = logging.getLogger(__name__)


def event_digest(previous_hash, row):
    """SHA-256 of the previous event's hash and this event's hashed columns."""
    values = [
        row[column].isoformat() if column == "date" and row[column] else row[column]
        for column in HASHED_COLUMNS
    ]
    payload = json.dumps([previous_hash or "", *values], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


class DistribOrderEvent(models.Model):
    """One change of a sale order's event state: the audit trail.

    Written only by the system (as superuser, when an order changes state), never
    changed nor deleted, and tamper-evident the way Odoo secures posted journal
    entries: each company's events form a hash chain (sequence, previous hash,
    hash over the event's content). ``action_check_integrity`` names the first
    event where the chain breaks.

    An event is sealed into the chain just after its transaction commits, in a
    short transaction of its own (READ COMMITTED, under the company's chain
    head lock), not inside the order's transaction: two orders of one company
    confirmed at the same time would otherwise both update the chain head and
    one of them would be replayed on a serialization failure. A cron seals
    whatever a failed post-commit step left behind.
    """

    _name = "distrib.order.event"
    _inherit = "distrib.source.reference.mixin"
    _description = "Order Event"
    _order = "date desc, id desc"
    _rec_name = "to_state"

    order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        index=True,
        ondelete="set null",
        help="Empty once the order was deleted: the event keeps its reference.",
    )
    order_ref_id = fields.Integer(string="Order ID", readonly=True)
    order_name = fields.Char(string="Order Reference", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    from_state = fields.Selection(DISTRIB_STATES, readonly=True)
    to_state = fields.Selection(DISTRIB_STATES, required=True, readonly=True)
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    reason = fields.Char(readonly=True)
    reference = fields.Char(string="Source Document", readonly=True)
    chain_sequence = fields.Integer(readonly=True, copy=False, index=True)
    previous_hash = fields.Char(readonly=True, copy=False)
    event_hash = fields.Char(string="Hash", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Order events are recorded by the system when an order changes "
                    "state; they cannot be entered by hand."
                )
            )
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders.fetch(["name", "company_id", "partner_id"])
        for vals in vals_list:
            for fname in ("chain_sequence", "previous_hash", "event_hash"):
                vals.pop(fname, None)
            order = orders.browse(vals.get("order_id"))
            if order:
                vals.update(
                    order_ref_id=order.id,
                    order_name=order.name,
                    company_id=order.company_id.id,
                    partner_id=order.partner_id.id,
                )
        events = super().create(vals_list)
        events._distrib_seal_after_commit()
        return events

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(
            self.env._(
                "Order events are an audit trail: they cannot be changed (%(events)s).",
                events=", ".join(self.mapped("order_name")),
            )
        )

    def unlink(self):  # pylint: disable=method-required-super
        raise AccessError(
            self.env._(
                "Order events are an audit trail: they cannot be deleted (%(events)s).",
                events=", ".join(self.mapped("order_name")),
            )
        )

    # ------------------------------------------------------------------
    # Hash chain
    # ------------------------------------------------------------------
    def _distrib_read_rows(self, where):
        columns = SQL(", ").join(
            SQL.identifier(column)
            for column in ("id", *HASHED_COLUMNS, "previous_hash", "event_hash")
        )
        self.env.cr.execute(
            SQL("SELECT %s FROM distrib_order_event WHERE %s", columns, where)
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _distrib_lock_chain(self, company_id):
        """Lock the company's chain head; return (last sequence, last hash)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO distrib_order_event_chain
                       (company_id, last_sequence, last_hash)
                VALUES (%s, 0, '')
                ON CONFLICT (company_id) DO UPDATE
                   SET last_sequence = distrib_order_event_chain.last_sequence
             RETURNING last_sequence, last_hash
                """,
                company_id,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _distrib_chain_rows(self, company_id, rows, sequence, previous_hash):
        """Seal ``rows`` (dicts of hashed columns, in chain order) after
        ``sequence``/``previous_hash``; write them and the chain head."""
        cr = self.env.cr
        for start in range(0, len(rows), SEAL_BATCH):
            values = []
            for row in rows[start : start + SEAL_BATCH]:
                sequence += 1
                row["chain_sequence"] = sequence
                digest = event_digest(previous_hash, row)
                values.append(
                    SQL("(%s, %s, %s, %s)", row["id"], sequence, previous_hash, digest)
                )
                previous_hash = digest
            cr.execute(
                SQL(
                    """
                    UPDATE distrib_order_event AS event
                       SET chain_sequence = sealed.sequence,
                           previous_hash = sealed.previous_hash,
                           event_hash = sealed.digest
                      FROM (VALUES %s) AS sealed(id, sequence, previous_hash, digest)
                     WHERE event.id = sealed.id
                    """,
                    SQL(", ").join(values),
                )
            )
        cr.execute(
            SQL(
                """
                UPDATE distrib_order_event_chain
                   SET last_sequence = %s, last_hash = %s
                 WHERE company_id = %s
                """,
                sequence,
                previous_hash,
                company_id,
            )
        )

    def init(self):
        # the events waiting to be sealed, found without reading the whole trail
        create_index(
            self.env.cr,
            "distrib_order_event_unsealed_idx",
            self._table,
            ["company_id", "id"],
            where="event_hash IS NULL",
        )

    def _distrib_seal_after_commit(self):
        """Seal these events once their transaction has committed."""
        cr = self.env.cr
        companies = cr.postcommit.data.get(SEAL_HOOK)
        if companies is None:
            companies = cr.postcommit.data[SEAL_HOOK] = set()
            registry = self.env.registry

            @cr.postcommit.add
            def seal():
                try:
                    with registry.cursor() as seal_cr:
                        # a fresh view at each statement: after waiting for the
                        # chain head, the events another sealer chained are seen
                        seal_cr.execute(
                            "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"
                        )
                        env = api.Environment(seal_cr, SUPERUSER_ID, {})
                        env["distrib.order.event"]._distrib_seal_pending(companies)
                except Exception:
                    # the transaction that recorded the events has committed:
                    # never fail it now; the cron seals them
                    _logger.warning(
                        "Order events of companies %s were not sealed after "
                        "commit; the sealing cron will chain them.",
                        sorted(companies),
                        exc_info=True,
                    )

        companies.update(self.company_id.ids)

    @api.model
    def _distrib_seal_pending(self, company_ids=None):
        """Chain the events not sealed yet onto their company's chain, in the
        order they were recorded, under the chain head's lock; return how many
        were sealed. ``company_ids``: only these companies (all by default)."""
        self.env["distrib.order.event"].flush_model()
        cr = self.env.cr
        where = SQL("event_hash IS NULL")
        if company_ids is not None:
            if not company_ids:
                return 0
            where = SQL("%s AND company_id IN %s", where, tuple(company_ids))
        cr.execute(
            SQL("SELECT DISTINCT company_id FROM distrib_order_event WHERE %s", where)
        )
        sealed = 0
        # companies in a fixed order: two sealers never wait on each other
        for company_id in sorted(row[0] for row in cr.fetchall()):
            sequence, previous_hash = self._distrib_lock_chain(company_id)
            rows = self._distrib_read_rows(
                SQL("company_id = %s AND event_hash IS NULL ORDER BY id", company_id)
            )
            self._distrib_chain_rows(company_id, rows, sequence, previous_hash)
            sealed += len(rows)
        if sealed:
            self.invalidate_model(["chain_sequence", "previous_hash", "event_hash"])
        return sealed

    @api.model
    def _cron_seal_pending(self):
        """Seal the events a failed post-commit step left unsealed."""
        sealed = self._distrib_seal_pending()
        if sealed:
            _logger.info("Sealed %s order events left unsealed after commit.", sealed)

    @api.model
    def _distrib_rebuild_chains(self, companies=None):
        """Hash every event of ``companies`` (all by default) again, in the order
        they were recorded. For server code only: the migration that introduced
        the chain, and data loads that rewrite history on purpose (the demo
        scenario backdates its events)."""
        self.env.flush_all()
        if companies is None:
            self.env.cr.execute(
                SQL("SELECT DISTINCT company_id FROM distrib_order_event")
            )
            company_ids = [row[0] for row in self.env.cr.fetchall() if row[0]]
        else:
            company_ids = companies.ids
        for company_id in sorted(company_ids):
            self._distrib_lock_chain(company_id)
            rows = self._distrib_read_rows(
                SQL("company_id = %s ORDER BY id", company_id)
            )
            self._distrib_chain_rows(company_id, rows, 0, "")
        self.invalidate_model(["chain_sequence", "previous_hash", "event_hash"])

    @api.model
    def _distrib_check_chain(self, company):
        """Check the chain of ``company``; return a dict: ``company_id``,
        ``count`` (events checked), ``pending`` (recorded, not sealed yet: not
        checked), ``intact``, ``broken_event_id`` (the first event where the
        chain breaks, or False) and ``message``."""
        company.ensure_one()
        _ = self.env._
        rows = self._distrib_read_rows(
            SQL("company_id = %s ORDER BY chain_sequence NULLS LAST, id", company.id)
        )
        # recorded but not sealed yet (the seal follows the commit)
        pending = [
            row for row in rows if not row["chain_sequence"] and not row["event_hash"]
        ]
        rows = [row for row in rows if row["chain_sequence"] or row["event_hash"]]
        self.env.cr.execute(
            SQL(
                "SELECT last_sequence, last_hash FROM distrib_order_event_chain"
                " WHERE company_id = %s",
                company.id,
            )
        )
        head = self.env.cr.fetchone() or (0, "")
        result = {
            "company_id": company.id,
            "count": len(rows),
            "pending": len(pending),
            "intact": False,
            "broken_event_id": False,
        }
        previous_hash, sequence = "", 0
        for row in rows:
            problem = None
            if not row["chain_sequence"] or not row["event_hash"]:
                problem = _("it was never sealed into the chain")
            elif row["chain_sequence"] != sequence + 1:
                problem = _(
                    "events %(first)s to %(last)s of the chain are missing",
                    first=sequence + 1,
                    last=row["chain_sequence"] - 1,
                )
            elif (row["previous_hash"] or "") != previous_hash:
                problem = _("it does not follow the event before it")
            elif event_digest(previous_hash, row) != row["event_hash"]:
                problem = _("its content was changed after it was recorded")
            if problem:
                result["broken_event_id"] = row["id"]
                result["message"] = _(
                    "%(company)s: the chain of order events breaks at event "
                    "%(sequence)s (%(order)s, %(state)s, %(date)s): %(problem)s.",
                    company=company.name,
                    sequence=row["chain_sequence"] or row["id"],
                    order=row["order_name"] or "-",
                    state=row["to_state"],
                    date=fields.Datetime.to_string(row["date"]),
                    problem=problem,
                )
                return result
            previous_hash, sequence = row["event_hash"], row["chain_sequence"]
        if (head[0] or 0) != sequence or (head[1] or "") != previous_hash:
            result["message"] = _(
                "%(company)s: the chain of order events ends at event %(last)s but "
                "%(head)s were recorded: the last events were deleted.",
                company=company.name,
                last=sequence,
                head=head[0],
            )
            result["broken_event_id"] = rows[-1]["id"] if rows else False
            return result
        result["intact"] = True
        result["message"] = _(
            "%(company)s: %(count)s order events, the chain is intact.",
            company=company.name,
            count=len(rows),
        )
        if pending:
            result["message"] += " " + _(
                "%(count)s more, recorded since %(date)s, wait to be sealed.",
                count=len(pending),
                date=fields.Datetime.to_string(min(row["date"] for row in pending)),
            )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_check_integrity(self):
        """Check the chains of the selected companies (managers and finance).

        The button sits in the list's header: the web client sends the selected
        events (often none) as the records, which the check does not use; an
        integrator calls it with an empty list of ids."""
        user = self.env.user
        if not (
            user.has_group("distrib_atp.group_distrib_manager")
            or user.has_group("distrib_atp.group_distrib_finance")
        ):
            raise AccessError(
                self.env._(
                    "Only a distribution manager or finance can check the order "
                    "events' integrity."
                )
            )
        # what was recorded but not sealed yet is sealed first, then checked
        self._distrib_seal_pending(self.env.companies.ids)
        results = [self._distrib_check_chain(company) for company in self.env.companies]
        broken = [result for result in results if not result["intact"]]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
                "title": self.env._("Order events: integrity check"),
                "message": "\n".join(result["message"] for result in results),
            },
        }
