import datetime

from odoo import Command, fields

from odoo.addons.base.tests.common import BaseCommon

TODAY = datetime.date(2026, 3, 10)
NOW = "2026-03-10 12:00:00"


def day(offset):
    """Noon of TODAY + offset days, as a datetime (stock.move.date)."""
    return datetime.datetime.combine(
        TODAY + datetime.timedelta(days=offset), datetime.time(12, 0)
    )


class DistribAtpCommon(BaseCommon):
    """Two warehouses in the main company, one in a second company, products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create(
            {"name": "ATP Other Co", "currency_id": cls.company.currency_id.id}
        )
        cls.env.user.company_ids |= cls.other_company
        cls.Warehouse = cls.env["stock.warehouse"]
        cls.wh1 = cls.Warehouse.search([("company_id", "=", cls.company.id)], limit=1)
        cls.wh2 = cls.Warehouse.create({"name": "ATP Second WH", "code": "ATP2"})
        cls.wh_other = cls.Warehouse.search(
            [("company_id", "=", cls.other_company.id)], limit=1
        )
        for warehouse in cls.wh1 | cls.wh2:
            warehouse.action_distrib_create_status_locations()
        cls.supplier_loc = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_loc = cls.env.ref("stock.stock_location_customers")
        cls.product = cls._create_product("ATP Widget", 10.0)
        cls.product_b = cls._create_product("ATP Gadget", 4.0)
        cls.partner = cls.env["res.partner"].create({"name": "ATP Customer"})
        cls.Atp = cls.env["distrib.atp"]

    @classmethod
    def _create_product(cls, name, cost, **vals):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "standard_price": cost,
                "list_price": cost * 2,
                **vals,
            }
        )

    @classmethod
    def _stock(cls, product, location, quantity, lot=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location, quantity, lot_id=lot
        )

    @classmethod
    def _move(cls, product, source, destination, quantity, date, reserve=False):
        move = cls.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "date": date,
            }
        )
        move._action_confirm()
        if reserve:
            move._action_assign()
        # confirming may reschedule: keep the date the test asked for
        move.date = date
        return move

    @classmethod
    def _order(cls, lines, warehouse=None, partner=None, company=None):
        company = company or cls.company
        return (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or cls.partner).id,
                    "company_id": company.id,
                    "warehouse_id": (warehouse or cls.wh1).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "price_unit": product.list_price,
                            }
                        )
                        for product, quantity in lines
                    ],
                }
            )
        )

    def _row(self, rows, product, warehouse):
        found = [
            row
            for row in rows
            if row["product_id"] == product.id and row["warehouse_id"] == warehouse.id
        ]
        self.assertEqual(len(found), 1)
        return found[0]

    @staticmethod
    def _date(offset):
        return fields.Date.to_string(TODAY + datetime.timedelta(days=offset))
