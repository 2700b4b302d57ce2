# pylint: disable=consider-merging-classes-inherited
"""Receive, pick and deliver by scanning: the transfers, the scans on their
lines and the validation through Odoo's ``button_validate``.

A line's scanned quantity is its ``quantity`` once ``picked``: the first scan of
a line sets it, the next ones add to it (two people on one transfer add up, and
each answer carries the quantities as they are in the database). Lines never
scanned are left to Odoo's backorder choice at validation."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.distrib_atp.rpc import distrib_rpc, short_repr

PICKING_CODES = ("incoming", "outgoing", "internal")


class DistribBarcodeScan(models.Model):
    _inherit = "distrib.barcode.scan"

    # ------------------------------------------------------------------
    # home screen
    # ------------------------------------------------------------------
    @api.model
    @distrib_rpc()
    def get_operations(self):
        """The home screen: the company, and the transfers to do per kind."""
        company = self.env.company
        enabled = company.distrib_barcode_enabled
        counts = {}
        if enabled:
            counts = dict(
                self.env["stock.picking"]._read_group(
                    self._distrib_open_domain(company),
                    groupby=["picking_type_code"],
                    aggregates=["__count"],
                )
            )
        labels = dict(
            self.env["stock.picking.type"]
            ._fields["code"]
            ._description_selection(self.env)
        )
        return {
            "company": {"id": company.id, "name": company.name},
            "enabled": enabled,
            "user": self.env.user.name,
            "operations": [
                {
                    "code": code,
                    "label": labels.get(code, code),
                    "count": counts.get(code, 0),
                }
                for code in PICKING_CODES
            ],
        }

    @api.model
    def _distrib_open_domain(self, company):
        return [
            ("company_id", "=", company.id),
            ("state", "in", ["assigned", "confirmed", "waiting"]),
            ("picking_type_code", "in", list(PICKING_CODES)),
        ]

    @api.model
    @distrib_rpc()
    def get_pickings(self, code, limit=80):
        """The open transfers of a kind (incoming, outgoing, internal)."""
        company = self._distrib_company()
        if code not in PICKING_CODES:
            raise UserError(
                self.env._(
                    "%(code)s is not a kind of transfer: use one of %(codes)s.",
                    code=short_repr(code),
                    codes=", ".join(PICKING_CODES),
                )
            )
        if (
            isinstance(limit, bool)
            or not isinstance(limit, int)
            or not 0 < limit <= 500
        ):
            raise UserError(self.env._("The limit must be a number from 1 to 500."))
        pickings = self.env["stock.picking"].search(
            [*self._distrib_open_domain(company), ("picking_type_code", "=", code)],
            order="scheduled_date, id",
            limit=limit,
        )
        counts = dict(
            self.env["stock.move"]._read_group(
                [("picking_id", "in", pickings.ids), ("state", "!=", "cancel")],
                groupby=["picking_id"],
                aggregates=["__count"],
            )
        )
        return [
            {
                "id": picking.id,
                "name": picking.name,
                "partner": picking.partner_id.display_name or "",
                "origin": picking.origin or "",
                "scheduled_date": fields.Datetime.to_string(picking.scheduled_date),
                "state": picking.state,
                "lines": counts.get(picking, 0),
            }
            for picking in pickings
        ]

    # ------------------------------------------------------------------
    # one transfer
    # ------------------------------------------------------------------
    @api.model
    def _distrib_picking(self, picking_id, open_only=True):
        picking = self._distrib_browse(
            "stock.picking", picking_id, self.env._("Transfer")
        )
        self._distrib_company(picking.company_id)
        picking = picking.with_company(picking.company_id)
        if open_only and picking.state in ("done", "cancel", "draft"):
            raise UserError(
                self.env._(
                    "Transfer %(name)s is %(state)s: there is nothing to scan on it.",
                    name=picking.name,
                    state=dict(
                        picking._fields["state"]._description_selection(self.env)
                    )[picking.state],
                )
            )
        return picking

    @api.model
    @distrib_rpc()
    def open_picking(self, picking_id):
        """The transfer's lines as the app shows them."""
        picking = self._distrib_picking(picking_id, open_only=False)
        return self._distrib_picking_state(picking)

    @api.model
    def _distrib_picking_state(self, picking):
        """``{"picking": {...}, "moves": [...]}``: every move with its demand,
        its scanned quantity and its lines, ordered by the location the worker
        goes to (the walk through the warehouse): where the goods are taken
        from, or for a receipt where they are put away (not the vendor), in a
        fixed number of queries."""
        moves = picking.move_ids.filtered(lambda m: m.state != "cancel")
        lines = moves.move_line_ids
        where = (
            "location_dest_id"
            if picking.picking_type_code == "incoming"
            else "location_id"
        )
        # prefetch what the rows show, one query per model
        moves.product_id.mapped("display_name")
        lines.mapped("lot_id.name")
        (lines.location_id | lines.location_dest_id | moves[where]).mapped(
            "complete_name"
        )
        rows = []
        for move in moves:
            rounding = move.product_uom.rounding
            done = sum(
                line.product_uom_id._compute_quantity(
                    line.quantity, move.product_uom, rounding_method="HALF-UP"
                )
                for line in move.move_line_ids
                if line.picked
            )
            compare = float_compare(
                done, move.product_uom_qty, precision_rounding=rounding
            )
            if move.state == "done":
                status = "done"
            elif float_is_zero(done, precision_rounding=rounding):
                status = "todo"
            else:
                status = {-1: "under", 0: "complete", 1: "over"}[compare]
            move_lines = move.move_line_ids.sorted(
                lambda line: (line[where].complete_name or "", line.id)
            )
            rows.append(
                {
                    "id": move.id,
                    "product_id": move.product_id.id,
                    "product": move.product_id.display_name,
                    "barcode": move.product_id.barcode or "",
                    "tracking": move.product_id.tracking,
                    "uom": move.product_uom.name,
                    "demand": move.product_uom_qty,
                    "done": done,
                    "status": status,
                    "location": (move_lines[:1][where] or move[where]).complete_name,
                    "location_role": "dest"
                    if where == "location_dest_id"
                    else "source",
                    "lines": [
                        {
                            "id": line.id,
                            "lot": line.lot_id.name or line.lot_name or "",
                            "location_id": line.location_id.id,
                            "location": line.location_id.complete_name,
                            "location_dest": line.location_dest_id.complete_name,
                            "quantity": line.quantity,
                            "picked": line.picked,
                        }
                        for line in move_lines
                    ],
                }
            )
        rows.sort(key=lambda row: (row["location"], row["product"], row["id"]))
        return {
            "picking": {
                "id": picking.id,
                "name": picking.name,
                "code": picking.picking_type_code,
                "state": picking.state,
                "partner": picking.partner_id.display_name or "",
                "origin": picking.origin or "",
                "company": picking.company_id.name,
                "location": picking.location_id.complete_name,
                "location_dest": picking.location_dest_id.complete_name,
            },
            "moves": rows,
        }

    @api.model
    @distrib_rpc()
    def scan(self, picking_id, barcode, key, qty=None, location_id=None):
        """Apply one scan to a transfer.

        :param picking_id: the transfer (stock.picking id)
        :param barcode: what was scanned: a product, packaging or GS1 label (the
            quantity counts up by one, the packaging's or the label's quantity), a
            lot, a location (the next scans pick from there) or a transfer
        :param key: the device's unique key of this scan (a replay changes nothing)
        :param qty: the quantity typed on the device, instead of the scanned one
        :param location_id: the source location scanned before (picking)
        :return: ``{"scan": {"kind", "message", ...}, "picking": ..., "moves":
            [...], "replayed": bool}``
        """
        picking = self._distrib_picking(picking_id)
        qty = self._distrib_check_qty(qty)
        location = self.env["stock.location"]
        if location_id:
            location = self._distrib_browse(
                "stock.location", location_id, self.env._("Location")
            )

        def run():
            found = self._distrib_resolve(barcode, picking.company_id, picking=picking)
            scan = self._distrib_apply_scan(picking, found, qty, location)
            return {"scan": scan, **self._distrib_picking_state(picking)}

        return self._distrib_once(
            key,
            "scan",
            run,
            refresh=lambda: self._distrib_picking_state(picking),
            company=picking.company_id,
            barcode=barcode if isinstance(barcode, str) else None,
            picking=picking,
        )

    @api.model
    def _distrib_apply_scan(self, picking, found, qty, location):
        kind = found["kind"]
        if kind == "location":
            return {
                "kind": "location",
                "location_id": found["location"].id,
                "location": found["location"].complete_name,
                "message": self.env._(
                    "Location %(name)s", name=found["location"].complete_name
                ),
            }
        if kind == "picking":
            return {
                "kind": "picking",
                "picking_id": found["picking"].id,
                "message": self.env._("Transfer %(name)s", name=found["picking"].name),
            }
        product = found["product"]
        qty = qty or found["qty"] or 1.0
        moves = picking.move_ids.filtered(
            lambda m: m.product_id == product and m.state not in ("done", "cancel")
        )
        if not moves:
            raise UserError(
                self.env._(
                    "%(product)s is not in transfer %(picking)s. Nothing was changed.",
                    product=product.display_name,
                    picking=picking.name,
                )
            )
        lot, lot_name = found["lot"], found["lot_name"]
        if product.tracking != "none" and not (lot or lot_name):
            raise UserError(
                self.env._(
                    "%(product)s is tracked by lot: scan the lot (or the GS1 label "
                    "with its lot). Nothing was changed.",
                    product=product.display_name,
                )
            )
        if product.tracking == "none":
            lot, lot_name = self.env["stock.lot"], False
        if lot_name and not picking.picking_type_id.use_create_lots:
            raise UserError(
                self.env._(
                    "Lot %(lot)s of %(product)s does not exist and %(type)s does not "
                    "create lots. Nothing was changed.",
                    lot=lot_name,
                    product=product.display_name,
                    type=picking.picking_type_id.display_name,
                )
            )
        if product.tracking == "serial" and qty != 1:
            raise UserError(
                self.env._("A serial number counts one unit, not %(qty)s.", qty=qty)
            )
        line = self._distrib_scan_line(picking, moves, qty, lot, lot_name, location)
        lot_label = lot.name or lot_name
        return {
            "kind": kind,
            "move_id": line.move_id.id,
            "line_id": line.id,
            "product": product.display_name,
            "qty": qty,
            "lot": lot_label or "",
            "message": self.env._(
                "+%(qty)s %(uom)s %(product)s%(lot)s",
                qty=f"{qty:g}",
                uom=product.uom_id.name,
                product=product.display_name,
                lot=self.env._(" (lot %(lot)s)", lot=lot_label) if lot_label else "",
            ),
        }

    @api.model
    def _distrib_scan_line(self, picking, moves, qty, lot, lot_name, location):
        """Add ``qty`` (product unit) to the right line of ``moves``: the picked
        line of the same lot and location, else an unscanned line (its lot
        swapped for the scanned one when that is free, the reservation follows),
        else a new line."""
        outgoing = picking.picking_type_code != "incoming"
        lines = moves.move_line_ids

        def same_lot(line):
            if lot_name:
                return line.lot_name == lot_name and not line.lot_id
            return line.lot_id == lot

        def at(line):
            return not (location and outgoing) or line.location_id == location

        picked = lines.filtered(
            lambda line: line.picked and same_lot(line) and at(line)
        )
        if picked:
            line = picked[0]
            line_qty = line.product_id.uom_id._compute_quantity(
                qty, line.product_uom_id
            )
            self._distrib_check_free(line, lot, line.location_id, line_qty)
            line.quantity += line_qty
            return line
        unpicked = lines.filtered(lambda line: not line.picked).sorted(
            lambda line: (not at(line), not same_lot(line), line.id)
        )
        if unpicked:
            line = unpicked[0]
            vals = {"picked": True}
            line_qty = line.product_id.uom_id._compute_quantity(
                qty, line.product_uom_id
            )
            source = line.location_id
            if not at(line):
                # picked elsewhere than reserved: the reservation follows
                source = location
                vals["location_id"] = location.id
            if lot_name:
                vals["lot_name"] = lot_name
            elif lot and (line.lot_id != lot or source != line.location_id):
                self._distrib_check_free(line, lot, source, line_qty, swap=True)
                vals["lot_id"] = lot.id
            elif source != line.location_id:
                self._distrib_check_free(line, lot, source, line_qty, swap=True)
            # reservation of the line: set first to the scanned quantity
            line.write({"quantity": line_qty, **vals})
            return line
        move = moves[0]
        source = location if (location and outgoing) else move.location_id
        vals = {
            "move_id": move.id,
            "picking_id": picking.id,
            "product_id": move.product_id.id,
            "product_uom_id": move.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": move.location_dest_id.id,
            "quantity": qty,
            "picked": True,
            "company_id": picking.company_id.id,
        }
        if lot_name:
            vals["lot_name"] = lot_name
        elif lot:
            vals["lot_id"] = lot.id
        if outgoing:
            self._distrib_check_free(move, lot, source, qty, swap=True)
        return self.env["stock.move.line"].create(vals)

    @api.model
    def _distrib_check_free(self, line, lot, location, qty, swap=False):
        """Picking more than is free at ``location`` (of ``lot``) is refused."""
        if line.picking_type_id.code == "incoming" or line.location_id.usage not in (
            "internal",
            "transit",
        ):
            return
        if not (swap or line.product_id.tracking != "none"):
            return
        product = line.product_id
        available = self.env["stock.quant"]._get_available_quantity(
            product, location, lot_id=lot or None, strict=False
        )
        if (
            float_compare(available, qty, precision_rounding=product.uom_id.rounding)
            < 0
        ):
            raise UserError(
                self.env._(
                    "Only %(free)s %(uom)s of %(product)s%(lot)s is free in "
                    "%(location)s: %(qty)s cannot be picked there. Nothing was "
                    "changed.",
                    free=f"{max(available, 0.0):g}",
                    uom=product.uom_id.name,
                    product=product.display_name,
                    lot=self.env._(" lot %(lot)s", lot=lot.name) if lot else "",
                    location=location.complete_name,
                    qty=f"{qty:g}",
                )
            )

    # ------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------
    @api.model
    @distrib_rpc()
    def validate(self, picking_id, key, backorder=None):
        """Validate the transfer through Odoo's ``button_validate``.

        :param backorder: None on the first try; "backorder" or "cancel" when
            the app answered Odoo's question about the quantities not scanned
        :return: ``{"result": "done" | "backorder" | "approval" | "desktop",
            "message": ..., "exceptions": [...], "picking": ..., "moves": ...}``
        """
        picking = self._distrib_picking(picking_id)
        if backorder not in (None, False, "backorder", "cancel"):
            raise UserError(
                self.env._(
                    "%(value)s is not an answer about the backorder: use "
                    "'backorder' or 'cancel'.",
                    value=short_repr(backorder),
                )
            )
        if not any(line.picked for line in picking.move_ids.move_line_ids):
            raise UserError(
                self.env._(
                    "Nothing was scanned on %(name)s yet: scan what you %(verb)s "
                    "before validating.",
                    name=picking.name,
                    verb=self.env._("received")
                    if picking.picking_type_code == "incoming"
                    else self.env._("picked"),
                )
            )

        def run():
            return self._distrib_validate(picking, backorder)

        return self._distrib_once(
            key,
            "validate",
            run,
            refresh=lambda: self._distrib_picking_state(picking),
            company=picking.company_id,
            picking=picking,
        )

    @api.model
    def _distrib_validate(self, picking, backorder):
        to_validate = picking
        if backorder:
            to_validate = picking.with_context(skip_backorder=True)
            if backorder == "cancel":
                to_validate = to_validate.with_context(
                    picking_ids_not_to_backorder=picking.ids
                )
        result = to_validate.button_validate()
        answer = {"result": "done", "exceptions": [], "message": ""}
        if isinstance(result, dict) and result.get("res_model") == (
            "stock.backorder.confirmation"
        ):
            answer.update(
                result="backorder",
                message=self.env._(
                    "Not everything of %(name)s was scanned. Create a backorder for "
                    "the rest, or close it without one?",
                    name=picking.name,
                ),
            )
        elif isinstance(result, dict) and result.get("res_model") == (
            "distrib.approval.request"
        ):
            requests = self.env["distrib.approval.request"].search(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "=", picking.id),
                    ("state", "=", "pending"),
                ]
            )
            answer.update(
                result="approval",
                message=self.env._(
                    "Waiting for approval: the variance of %(name)s needs %(requests)s "
                    "to be approved by finance. The transfer is validated as soon as "
                    "it is; nothing was posted yet.",
                    name=picking.name,
                    requests=", ".join(requests.mapped("name")) or "",
                ),
            )
        elif picking.state != "done":
            answer.update(
                result="desktop",
                message=self.env._(
                    "Odoo asks a question this screen cannot answer (%(what)s): "
                    "finish validating %(name)s on a desktop.",
                    what=(result or {}).get("name", "")
                    if isinstance(result, dict)
                    else "",
                    name=picking.name,
                ),
            )
        else:
            exceptions = self.env["distrib.exception"]._get_open_for(picking)
            answer["exceptions"] = [
                {"id": exc.id, "name": exc.name, "summary": exc.summary or ""}
                for exc in exceptions
            ]
            parts = [self.env._("%(name)s is validated.", name=picking.name)]
            if picking.backorder_ids:
                parts.append(
                    self.env._(
                        "The rest is expected in backorder %(names)s.",
                        names=", ".join(picking.backorder_ids.mapped("name")),
                    )
                )
            for exc in exceptions:
                parts.append(
                    self.env._(
                        "Exception raised: %(summary)s (%(name)s).",
                        summary=exc.summary,
                        name=exc.name,
                    )
                )
            answer["message"] = " ".join(parts)
            answer["backorder_ids"] = picking.backorder_ids.ids
        answer.update(self._distrib_picking_state(picking))
        return answer
