# pylint: disable=consider-merging-classes-inherited
"""Count a location by scanning: Odoo's own inventory counts (``stock.quant``
in inventory mode, ``action_apply_inventory``), so the cycle-count approval of
distrib_exceptions applies: a count whose variance needs finance approval
waits and does not post."""

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribBarcodeScan(models.Model):
    _inherit = "distrib.barcode.scan"

    @api.model
    def _distrib_location(self, location, label=None):
        """A location given by id or by barcode, internal, of a company that
        uses the app."""
        label = label or self.env._("Location")
        if isinstance(location, str):
            found = self._distrib_resolve(location, self.env.company)
            if found["kind"] != "location":
                raise UserError(
                    self.env._(
                        "%(barcode)s is not a location: scan a location's label.",
                        barcode=location,
                    )
                )
            location = found["location"]
        else:
            location = self._distrib_browse("stock.location", location, label)
        if location.usage not in ("internal", "transit") or not location.company_id:
            raise UserError(
                self.env._(
                    "%(location)s is not a stock location of a warehouse.",
                    location=location.complete_name,
                )
            )
        self._distrib_company(location.company_id)
        return location.with_company(location.company_id)

    @api.model
    @distrib_rpc()
    def count_location(self, location):
        """The quants of a location (its id or barcode), counted or not."""
        location = self._distrib_location(location)
        return self._distrib_count_state(location)

    @api.model
    def _distrib_count_state(self, location):
        quants = self.env["stock.quant"].search(
            [("location_id", "=", location.id)], order="product_id, lot_id, id"
        )
        quants.product_id.mapped("display_name")
        quants.lot_id.mapped("name")
        quants.mapped("distrib_count_approval")
        rows = [
            {
                "id": quant.id,
                "product_id": quant.product_id.id,
                "product": quant.product_id.display_name,
                "lot": quant.lot_id.name or "",
                "uom": quant.product_uom_id.name,
                "on_hand": quant.quantity,
                "counted": quant.inventory_quantity
                if quant.inventory_quantity_set
                else None,
                "difference": quant.inventory_diff_quantity
                if quant.inventory_quantity_set
                else 0.0,
                "waiting_approval": quant.distrib_count_approval == "pending",
            }
            for quant in quants
            if quant.quantity
            or quant.inventory_quantity_set
            or quant.distrib_count_approval
        ]
        return {
            "location": {
                "id": location.id,
                "name": location.complete_name,
                "company": location.company_id.name,
                "status": location.distrib_stock_status or "",
            },
            "quants": rows,
        }

    @api.model
    @distrib_rpc()
    def count_scan(self, location, barcode, key, qty=None, set_quantity=False):
        """Count what was scanned in ``location``: one unit (the packaging's or
        the label's quantity) more, or ``qty`` more; with ``set_quantity`` the
        counted quantity becomes ``qty``. Unexpected products and lots are
        counted too (a new count line)."""
        location = self._distrib_location(location)
        qty = self._distrib_check_qty(qty, allow_zero=bool(set_quantity))
        if set_quantity and qty is None:
            raise UserError(self.env._("Give the counted quantity."))

        def run():
            found = self._distrib_resolve(barcode, location.company_id)
            if found["kind"] not in ("product", "packaging", "lot"):
                raise UserError(
                    self.env._(
                        "%(barcode)s is not a product or a lot: scan what you count.",
                        barcode=found["barcode"],
                    )
                )
            product = found["product"]
            if product.type != "consu" or not product.is_storable:
                raise UserError(
                    self.env._(
                        "%(product)s is not tracked in stock: it is not counted.",
                        product=product.display_name,
                    )
                )
            lot = found["lot"]
            if found["lot_name"]:
                lot = (
                    self.env["stock.lot"]
                    .with_company(location.company_id)
                    .create(
                        {
                            "name": found["lot_name"],
                            "product_id": product.id,
                            "company_id": location.company_id.id,
                        }
                    )
                )
            if product.tracking != "none" and not lot:
                raise UserError(
                    self.env._(
                        "%(product)s is tracked by lot: scan the lot. Nothing was "
                        "changed.",
                        product=product.display_name,
                    )
                )
            amount = qty if qty is not None else (found["qty"] or 1.0)
            Quant = self.env["stock.quant"].with_context(inventory_mode=True)
            quant = Quant.search(
                [
                    ("product_id", "=", product.id),
                    ("location_id", "=", location.id),
                    ("lot_id", "=", lot.id or False),
                    ("package_id", "=", False),
                    ("owner_id", "=", False),
                ],
                limit=1,
            )
            if quant:
                base = quant.inventory_quantity if quant.inventory_quantity_set else 0.0
                counted = amount if set_quantity else base + amount
                quant.write({"inventory_quantity": counted})
            else:
                counted = amount
                quant = Quant.create(
                    {
                        "product_id": product.id,
                        "location_id": location.id,
                        "lot_id": lot.id or False,
                        "inventory_quantity": counted,
                    }
                )
            quant.inventory_quantity_set = True
            return {
                "scan": {
                    "kind": found["kind"],
                    "quant_id": quant.id,
                    "counted": counted,
                    "message": self.env._(
                        "%(product)s%(lot)s: %(counted)s counted",
                        product=product.display_name,
                        lot=self.env._(" lot %(lot)s", lot=lot.name) if lot else "",
                        counted=f"{counted:g}",
                    ),
                },
                **self._distrib_count_state(location),
            }

        return self._distrib_once(
            key,
            "count_scan",
            run,
            refresh=lambda: self._distrib_count_state(location),
            company=location.company_id,
            barcode=barcode if isinstance(barcode, str) else None,
        )

    @api.model
    @distrib_rpc()
    def count_apply(self, location, key):
        """Apply the counts of ``location`` with Odoo's ``action_apply_inventory``.
        A count whose variance needs a finance approval waits (nothing posts)."""
        location = self._distrib_location(location)

        def run():
            quants = (
                self.env["stock.quant"]
                .with_context(inventory_mode=True)
                .search(
                    [
                        ("location_id", "=", location.id),
                        ("inventory_quantity_set", "=", True),
                    ]
                )
            )
            if not quants:
                raise UserError(
                    self.env._(
                        "Nothing was counted in %(location)s yet.",
                        location=location.complete_name,
                    )
                )
            result = quants.action_apply_inventory()
            if isinstance(result, dict):
                raise UserError(
                    self.env._(
                        "Odoo asks a question this screen cannot answer (%(what)s): "
                        "the stock changed while counting. Count %(location)s again "
                        "or finish on a desktop.",
                        what=result.get("name", ""),
                        location=location.complete_name,
                    )
                )
            quants = quants.exists()
            quants.invalidate_recordset()
            waiting = quants.filtered(lambda q: q.distrib_count_approval == "pending")
            applied = len(quants) - len(waiting)
            if waiting:
                requests = self.env["distrib.approval.request"].search(
                    [
                        ("res_model", "=", "stock.quant"),
                        ("res_id", "in", waiting.ids),
                        ("state", "=", "pending"),
                    ]
                )
                message = self.env._(
                    "Waiting for approval: the count of %(products)s crosses the "
                    "variance threshold; it posts once %(requests)s is approved. "
                    "%(applied)s other count(s) applied.",
                    products=", ".join(waiting.product_id.mapped("display_name")),
                    requests=", ".join(requests.mapped("name")),
                    applied=applied,
                )
            else:
                message = self.env._(
                    "The count of %(location)s is applied.",
                    location=location.complete_name,
                )
            return {
                "result": "approval" if waiting else "done",
                "waiting": waiting.ids,
                "message": message,
                **self._distrib_count_state(location),
            }

        return self._distrib_once(
            key,
            "count_apply",
            run,
            refresh=lambda: self._distrib_count_state(location),
            company=location.company_id,
        )
