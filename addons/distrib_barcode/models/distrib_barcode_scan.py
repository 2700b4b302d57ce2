"""The scans the Warehouse app applied, and the rule that applies each once.

Every call of the app that changes something carries a key the device made
(``key``). The first call with a key claims it, runs and stores its answer in
the same transaction; a second call with the same key (the device did not get
the answer and sent it again, or sent it from its offline queue) changes nothing
and gets the stored answer, refreshed with the quantities as they are now.

The claim is an ``INSERT ... ON CONFLICT DO NOTHING`` on the unique (key, user)
pair, before anything else runs. Two calls with the same key at the same moment:
the second waits on the first's row; once the first commits, PostgreSQL answers
the second with a serialization failure (repeatable read: the row is not in its
snapshot), Odoo replays that call, and the replay finds the stored answer. If the
first fails, its claim is rolled back with everything else and the second runs.
"""

import json
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import MAX_FLOAT, check_rpc_records, short_repr

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


class DistribBarcodeScan(models.Model):
    _name = "distrib.barcode.scan"
    _description = "Warehouse Scan"
    _order = "id desc"
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="restrict"
    )
    operation = fields.Char(required=True, readonly=True)
    barcode = fields.Char(readonly=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, ondelete="set null"
    )
    message = fields.Char(readonly=True)
    answer = fields.Json(readonly=True)

    _sql_constraints = [
        (
            "key_user_uniq",
            "unique (key, user_id)",
            "A scan key is applied once per user.",
        )
    ]

    # ------------------------------------------------------------------
    # audit: the log is written by the app only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if vals_list:
            raise UserError(
                self.env._(
                    "Scans are recorded by the Warehouse app, not created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(self.env._("A recorded scan cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("A recorded scan cannot be deleted."))
        return super().unlink()

    # ------------------------------------------------------------------
    # arguments
    # ------------------------------------------------------------------
    @api.model
    def _distrib_check_key(self, key):
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise UserError(
                self.env._(
                    "%(key)s is not a valid scan key: the app sends 8 to 64 letters, "
                    "digits or '-_.:'.",
                    key=short_repr(key),
                )
            )
        return key

    @api.model
    def _distrib_check_qty(self, qty, allow_zero=False):
        if qty is None or qty is False:
            return None
        if isinstance(qty, bool) or not isinstance(qty, int | float):
            raise UserError(
                self.env._(
                    "The quantity must be a number, not %(value)s.",
                    value=short_repr(qty),
                )
            )
        qty = float(qty)
        if not (qty == qty and abs(qty) <= MAX_FLOAT) or qty < 0:
            raise UserError(
                self.env._(
                    "The quantity must be a positive number, not %(value)s.",
                    value=short_repr(qty),
                )
            )
        if qty == 0 and not allow_zero:
            raise UserError(self.env._("The quantity must be more than zero."))
        return qty

    @api.model
    def _distrib_check_text(self, value, label, required=True, size=256):
        if (value is None or value is False) and not required:
            return False
        if not isinstance(value, str) or not value.strip() or len(value) > size:
            raise UserError(
                self.env._(
                    "%(label)s must be a text of 1 to %(size)s characters, "
                    "not %(value)s.",
                    label=label,
                    size=size,
                    value=short_repr(value),
                )
            )
        return value.strip()

    @api.model
    def _distrib_browse(self, model, record_id, label):
        """The record ``record_id`` of ``model`` the caller may read, in its
        company; a clear error otherwise (another company's record is "not
        found", as for a record that does not exist)."""
        if isinstance(record_id, list | tuple):
            raise UserError(self.env._("Give one %(label)s, not a list.", label=label))
        if isinstance(record_id, bool) or not isinstance(record_id, int):
            raise UserError(
                self.env._(
                    "%(label)s must be given by its id (an integer) or its barcode, "
                    "not %(value)s.",
                    label=label,
                    value=short_repr(record_id),
                )
            )
        records = self.env[model].browse(record_id)
        check_rpc_records(records, singleton=True)
        found = self.env[model].search([("id", "=", records.id)])
        if not found:
            raise UserError(
                self.env._(
                    "%(label)s %(id)s was not found among the records you may see "
                    "in your companies.",
                    label=label,
                    id=record_id,
                )
            )
        return found

    @api.model
    def _distrib_company(self, company=None):
        """``company`` (default: the current one) when it uses the app."""
        company = company or self.env.company
        if not company.distrib_barcode_enabled:
            raise UserError(
                self.env._(
                    "Warehouse scanning is off for %(company)s: a manager turns it on "
                    "in Distribution > Configuration > Settings.",
                    company=company.name,
                )
            )
        return company

    # ------------------------------------------------------------------
    # apply once
    # ------------------------------------------------------------------
    @api.model
    def _distrib_once(
        self,
        key,
        operation,
        run,
        refresh=None,
        company=None,
        barcode=None,
        picking=None,
    ):
        """Run ``run()`` (returning a dict) once for ``key`` and the caller;
        a replay answers the stored dict updated with ``refresh()``."""
        key = self._distrib_check_key(key)
        self.check_access("create")
        company = company or self.env.company
        uid = self.env.uid
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO distrib_barcode_scan
                    (key, user_id, company_id, operation, barcode, picking_id,
                     create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s,
                        now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                ON CONFLICT (key, user_id) DO NOTHING
                RETURNING id
                """,
                key,
                uid,
                company.id,
                operation,
                barcode or None,
                picking.id if picking else None,
                uid,
                uid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return self._distrib_replay(key, operation, refresh)
        answer = run()
        answer["replayed"] = False
        answer["key"] = key
        self.env.cr.execute(
            SQL(
                "UPDATE distrib_barcode_scan SET answer = %s, message = %s "
                "WHERE id = %s",
                json.dumps(answer, default=str),
                (answer.get("message") or "")[:500] or None,
                row[0],
            )
        )
        return answer

    @api.model
    def _distrib_replay(self, key, operation, refresh):
        self.env.cr.execute(
            SQL(
                "SELECT operation, answer FROM distrib_barcode_scan "
                "WHERE key = %s AND user_id = %s",
                key,
                self.env.uid,
            )
        )
        stored_operation, answer = self.env.cr.fetchone()
        if stored_operation != operation:
            raise UserError(
                self.env._(
                    "The scan key %(key)s was already used for another action "
                    "(%(operation)s).",
                    key=key,
                    operation=stored_operation,
                )
            )
        answer = dict(answer or {})
        answer["replayed"] = True
        if refresh:
            answer.update(refresh())
        return answer
