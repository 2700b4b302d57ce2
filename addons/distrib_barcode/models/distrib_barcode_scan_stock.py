# pylint: disable=consider-merging-classes-inherited
"""Move stock between locations, hold and release lots, look up a product or a
lot: what the warehouse does outside transfers."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribBarcodeScan(models.Model):
    _inherit = "distrib.barcode.scan"

    # ------------------------------------------------------------------
    # move
    # ------------------------------------------------------------------
    @api.model
    @distrib_rpc()
    def move(self, location, barcode, location_dest, key, qty=None):
        """Move a product or a lot from ``location`` to ``location_dest`` (ids
        or barcodes): ``qty`` units, the scanned packaging's or label's
        quantity, or all that is free there. Stock moved into a quarantine or
        damaged location leaves the ATP at once."""
        source = self._distrib_location(location)
        destination = self._distrib_location(location_dest, self.env._("Destination"))
        qty = self._distrib_check_qty(qty)
        if destination.company_id != source.company_id:
            raise UserError(
                self.env._(
                    "%(from_location)s and %(destination)s belong to different "
                    "companies: use an intercompany transfer.",
                    from_location=source.complete_name,
                    destination=destination.complete_name,
                )
            )
        if destination == source:
            raise UserError(
                self.env._(
                    "Scan another location than %(location)s to move to.",
                    location=source.complete_name,
                )
            )

        def run():
            found = self._distrib_resolve(barcode, source.company_id)
            if found["kind"] not in ("product", "packaging", "lot"):
                raise UserError(
                    self.env._(
                        "%(barcode)s is not a product or a lot: scan what you move.",
                        barcode=found["barcode"],
                    )
                )
            product, lot = found["product"], found["lot"]
            if product.tracking != "none" and not lot:
                raise UserError(
                    self.env._(
                        "%(product)s is tracked by lot: scan the lot you move.",
                        product=product.display_name,
                    )
                )
            free = self.env["stock.quant"]._get_available_quantity(
                product, source, lot_id=lot or None, strict=False
            )
            amount = qty or found["qty"] or free
            rounding = product.uom_id.rounding
            if (
                amount <= 0
                or float_compare(free, amount, precision_rounding=rounding) < 0
            ):
                raise UserError(
                    self.env._(
                        "Only %(free)s %(uom)s of %(product)s%(lot)s is free in "
                        "%(location)s. Nothing was moved.",
                        free=f"{max(free, 0.0):g}",
                        uom=product.uom_id.name,
                        product=product.display_name,
                        lot=self.env._(" lot %(lot)s", lot=lot.name) if lot else "",
                        location=source.complete_name,
                    )
                )
            moved = self._distrib_move_stock(product, lot, source, destination, amount)
            status = dict(
                destination._fields["distrib_stock_status"]._description_selection(
                    self.env
                )
            ).get(destination.distrib_stock_status, "")
            message = self.env._(
                "%(qty)s %(uom)s %(product)s%(lot)s moved from %(from_location)s to "
                "%(destination)s.",
                qty=f"{amount:g}",
                uom=product.uom_id.name,
                product=product.display_name,
                lot=self.env._(" lot %(lot)s", lot=lot.name) if lot else "",
                from_location=source.complete_name,
                destination=destination.complete_name,
            )
            if destination.distrib_stock_status not in ("sellable", False):
                message += " " + self.env._(
                    "It is %(status)s now: it no longer counts as available to "
                    "promise.",
                    status=status.lower(),
                )
            return {
                "result": "done",
                "move_id": moved.id,
                "message": message,
                "status": destination.distrib_stock_status or "",
            }

        return self._distrib_once(
            key,
            "move",
            run,
            company=source.company_id,
            barcode=barcode if isinstance(barcode, str) else None,
        )

    @api.model
    def _distrib_move_stock(self, product, lot, source, destination, qty):
        """An internal move of ``qty`` done at once, as Odoo's relocation does
        but through the warehouse's internal operation type."""
        warehouse = source.warehouse_id or destination.warehouse_id
        move = (
            self.env["stock.move"]
            .with_company(source.company_id)
            .create(
                {
                    "name": self.env._("Moved by scan"),
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": qty,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": source.company_id.id,
                    "picking_type_id": warehouse.int_type_id.id or False,
                }
            )
        )
        move._action_confirm()
        # the line says which lot and location: reserving is ours, not the
        # removal strategy's (the free quantity was checked); the operation
        # type may have reserved at confirmation
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "product_id": product.id,
                "product_uom_id": product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "lot_id": lot.id or False,
                "quantity": qty,
                "picked": True,
                "company_id": source.company_id.id,
            }
        )
        move.picked = True
        move._action_done()
        return move

    # ------------------------------------------------------------------
    # holds
    # ------------------------------------------------------------------
    @api.model
    def _distrib_scanned_lot(self, barcode):
        found = self._distrib_resolve(barcode, self._distrib_company())
        if not found["lot"]:
            raise UserError(
                self.env._(
                    "%(barcode)s is not a lot: scan the lot's label.",
                    barcode=found["barcode"],
                )
            )
        return found["lot"]

    @api.model
    @distrib_rpc()
    def hold(self, barcode, reason, key):
        """Put the scanned lot on hold (it leaves the ATP) for ``reason``."""
        reason = self._distrib_check_text(reason, self.env._("The reason"))
        lot = self._distrib_scanned_lot(barcode)

        def run():
            lot.with_context(distrib_hold_reason=reason).action_distrib_hold()
            return {
                "result": "done",
                "lot_id": lot.id,
                "message": self.env._(
                    "Lot %(lot)s of %(product)s is on hold: %(reason)s.",
                    lot=lot.name,
                    product=lot.product_id.display_name,
                    reason=reason,
                ),
            }

        return self._distrib_once(key, "hold", run, barcode=barcode)

    @api.model
    @distrib_rpc()
    def release(self, barcode, key):
        """Release the hold of the scanned lot."""
        lot = self._distrib_scanned_lot(barcode)

        def run():
            lot.action_distrib_release()
            return {
                "result": "done",
                "lot_id": lot.id,
                "message": self.env._(
                    "Lot %(lot)s of %(product)s is released.",
                    lot=lot.name,
                    product=lot.product_id.display_name,
                ),
            }

        return self._distrib_once(key, "release", run, barcode=barcode)

    # ------------------------------------------------------------------
    # look up
    # ------------------------------------------------------------------
    @api.model
    @distrib_rpc()
    def lookup(self, barcode):
        """What the scanned product or lot is: its ATP and status per warehouse
        (``distrib.atp``), where it is, its holds and what is incoming. A
        location answers its content; a transfer its id."""
        company = self._distrib_company()
        found = self._distrib_resolve(barcode, company)
        kind = found["kind"]
        if kind == "location":
            return {"kind": "location", **self._distrib_count_state(found["location"])}
        if kind == "picking":
            return {
                "kind": "picking",
                "picking_id": found["picking"].id,
                "name": found["picking"].name,
            }
        product, lot = found["product"], found["lot"]
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "in", self.env.companies.ids)]
        )
        rows = self.env["distrib.atp"].get_availability(
            product_ids=[product.id], warehouse_ids=warehouses.ids
        )
        names = {warehouse.id: warehouse.name for warehouse in warehouses}
        quant_domain = [
            ("product_id", "=", product.id),
            ("location_id.usage", "in", ["internal", "transit"]),
        ]
        if lot:
            quant_domain.append(("lot_id", "=", lot.id))
        groups = self.env["stock.quant"]._read_group(
            quant_domain,
            groupby=["location_id", "lot_id"],
            aggregates=["quantity:sum", "reserved_quantity:sum"],
            order="location_id",
        )
        held = self.env["stock.lot"].search(
            [("product_id", "=", product.id), ("distrib_hold", "=", True)]
            + ([("id", "=", lot.id)] if lot else [])
        )
        incoming = self.env["stock.move"].search(
            [
                ("product_id", "=", product.id),
                ("state", "not in", ["draft", "done", "cancel"]),
                ("picking_code", "=", "incoming"),
                ("company_id", "in", self.env.companies.ids),
            ],
            order="date, id",
            limit=20,
        )
        return {
            "kind": kind,
            "product": {
                "id": product.id,
                "name": product.display_name,
                "barcode": product.barcode or "",
                "uom": product.uom_id.name,
                "tracking": product.tracking,
            },
            "lot": {
                "id": lot.id,
                "name": lot.name,
                "hold": lot.distrib_hold,
                "hold_reason": lot.distrib_hold_reason or "",
            }
            if lot
            else None,
            "qty": found["qty"],
            "warehouses": [
                {
                    "warehouse_id": row["warehouse_id"],
                    "warehouse": names.get(row["warehouse_id"], ""),
                    "on_hand": row["on_hand"],
                    "free": row["free"],
                    "atp": row["atp"],
                    "quarantine": row["quarantine"],
                    "damaged": row["damaged"],
                    "held": row["held"],
                    "incoming": row["incoming"],
                    "next_available_date": row["next_available_date"],
                }
                for row in rows
                if row["warehouse_id"] in names
            ],
            "locations": [
                {
                    "location_id": location.id,
                    "location": location.complete_name,
                    "status": location.distrib_stock_status or "",
                    "lot": lot_row.name or "",
                    "quantity": quantity,
                    "reserved": reserved,
                }
                for location, lot_row, quantity, reserved in groups
                if quantity
            ],
            "holds": [
                {
                    "lot": held_lot.name,
                    "reason": held_lot.distrib_hold_reason or "",
                    "since": fields.Datetime.to_string(held_lot.distrib_hold_date),
                }
                for held_lot in held
            ],
            "incoming": [
                {
                    "reference": move.picking_id.name or move.reference or "",
                    "partner": move.picking_id.partner_id.display_name or "",
                    "date": fields.Datetime.to_string(move.date),
                    "quantity": move.product_qty,
                }
                for move in incoming
            ],
        }
