import datetime

from odoo import Command, fields

from odoo.addons.distrib_atp.tests.common import DistribAtpCommon


class DistribAllocationCommon(DistribAtpCommon):
    """The ATP company opted in to allocation by priority; a strategic, a key
    and a standard customer; two warehouses of the company (wh1, wh2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._distrib_grant(
            "manager", "sales_team.group_sale_manager", "stock.group_stock_manager"
        )
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company.write(
            {
                "distrib_allocation_enabled": True,
                "distrib_atp_promise": True,
                "distrib_atp_policy": "allow",
                "distrib_atp_commitment_date": False,
            }
        )
        Segment = cls.env["distrib.customer.segment"]
        cls.segment_strategic = Segment.create(
            {
                "name": "Strategic Accounts",
                "code": "ALLOC-STRAT",
                "distrib_allocation_priority": "strategic",
            }
        )
        Partner = cls.env["res.partner"]
        cls.strategic = Partner.create(
            {"name": "Strategic Co", "distrib_segment_id": cls.segment_strategic.id}
        )
        cls.key = Partner.create(
            {"name": "Key Co", "distrib_allocation_priority": "key"}
        )
        cls.standard = Partner.create({"name": "Standard Co"})

    @staticmethod
    def _in_days(days):
        return fields.Datetime.now().replace(
            hour=12, minute=0, second=0, microsecond=0
        ) + datetime.timedelta(days=days)

    def _sale(self, partner, quantity, product=None, warehouse=None, days=None):
        product = product or self.product
        vals = {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "warehouse_id": (warehouse or self.wh1).id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "price_unit": product.list_price,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
        if days is not None:
            vals["commitment_date"] = self._in_days(days)
        return self.env["sale.order"].create(vals)

    def _moves(self, order):
        return order.order_line.move_ids.filtered(
            lambda move: move.state not in ("done", "cancel")
        )

    def _reserved(self, order):
        return sum(self._moves(order).mapped("quantity"))

    def _receive(self, quantity, warehouse=None, product=None, days=0):
        """A receipt from the supplier: pending (days > 0) or done now."""
        product = product or self.product
        move = self.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": self.supplier_loc.id,
                "location_dest_id": (warehouse or self.wh1).lot_stock_id.id,
                "date": self._in_days(days),
            }
        )
        move._action_confirm()
        if days:
            move.date = self._in_days(days)
            return move
        move.quantity = quantity
        move.picked = True
        move._action_done()
        return move
