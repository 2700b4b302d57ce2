# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import logging

from odoo import Command, api, models

_logger = logging.getLogger(__name__)

# the allocation priority of the scenario's customer segments (codes of
# scenario/catalog.py); the others stay standard
SEGMENT_PRIORITIES = {"KEY": "strategic", "CHAIN": "key"}


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "allocation"]

    def _scenario_allocation(self, data):
        """Priorities on the segments; the first company opts in to allocation
        and automatic sourcing (other warehouse, within 5 % extra cost); a
        strategic customer's order short in its warehouse is sourced from the
        other warehouse at confirmation, and an order no warehouse can serve is
        routed to the planners (shortage exception)."""
        for segment in data["segments"]:
            priority = SEGMENT_PRIORITIES.get(segment.code)
            if priority:
                segment.distrib_allocation_priority = priority
        company = data["companies"][0]
        company.write(
            {
                "distrib_allocation_enabled": True,
                "distrib_auto_sourcing": True,
                "distrib_expedite_cost": company.distrib_expedite_cost or 25.0,
            }
        )
        Policy = self.env["distrib.sourcing.policy"]
        if not Policy.search_count(
            [("company_id", "=", company.id), ("kind", "=", "warehouse")]
        ):
            Policy.create(
                {"company_id": company.id, "kind": "warehouse", "max_cost_percent": 5.0}
            )
        warehouses = data["warehouses"].filtered(lambda wh: wh.company_id == company)
        customer = self._scenario_allocation_customer(data, company)
        result = {}
        data["allocation_orders"] = result
        if not warehouses or not customer:
            _logger.info("distrib scenario: no allocation orders (no warehouse)")
            return
        free = self._scenario_allocation_free(data, warehouses)
        # products of their own: the other demo cases (the ATP walk-through's
        # quotations, the open orders) keep the stock they were built on
        data["allocation_products"] = self._scenario_allocation_products(data, company)
        auto = self._scenario_allocation_pick_auto(data, warehouses, free)
        if auto:
            product, quantity = auto
            order = self._scenario_allocation_order(
                company, warehouses[0], customer, product, quantity
            )
            order.action_confirm()
            result["auto"] = order
        planner = self._scenario_allocation_pick_planner(data, warehouses, free)
        if planner:
            product, quantity = planner
            order = self._scenario_allocation_order(
                company, warehouses[0], customer, product, quantity
            )
            order.action_confirm()
            result["planner"] = order

    def _scenario_allocation_products(self, data, company):
        """Storable products without lot, on no quotation of ``company`` (nor
        the catalog's first product, which tests order), last ones first."""
        busy = set(
            self.env["sale.order.line"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("draft", "sent")),
                ]
            )
            .product_id.ids
        )
        products = data["products"][1:].filtered(
            lambda product: (
                product.is_storable
                and product.tracking == "none"
                and product.id not in busy
            )
        )
        return products[::-1]

    def _scenario_allocation_customer(self, data, company):
        customers = data["customers"].filtered(
            lambda partner: partner.company_id in (company, company.browse())
        )
        strategic = customers.filtered(
            lambda partner: (
                partner.distrib_segment_id.distrib_allocation_priority == "strategic"
            )
        )
        return (strategic or customers)[:1]

    def _scenario_allocation_free(self, data, warehouses):
        """{(product id, warehouse): free quantity} of the storable products."""
        products = data["products"].filtered("is_storable")
        Quant = self.env["stock.quant"]
        free = {}
        for warehouse in warehouses:
            for product, quantity, reserved in Quant._read_group(
                [
                    ("product_id", "in", products.ids),
                    ("location_id", "child_of", warehouse.lot_stock_id.id),
                ],
                groupby=["product_id"],
                aggregates=["quantity:sum", "reserved_quantity:sum"],
            ):
                free[product.id, warehouse] = quantity - reserved
        return free

    def _scenario_allocation_pick_auto(self, data, warehouses, free):
        """A product the first warehouse is short of and another warehouse of
        the company holds: (product, quantity)."""
        if len(warehouses) < 2:
            return None
        first = warehouses[0]
        for product in data["allocation_products"]:
            own = max(free.get((product.id, first), 0.0), 0.0)
            other = max(free.get((product.id, wh), 0.0) for wh in warehouses[1:])
            quantity = round(own + 5)
            if other >= quantity + 5:
                return product, quantity
        return None

    def _scenario_allocation_pick_planner(self, data, warehouses, free):
        """A product no warehouse of the company can ship in full: (product,
        quantity over the largest free stock)."""
        auto = data.get("allocation_orders", {}).get("auto")
        for product in data["allocation_products"]:
            if auto and product in auto.order_line.product_id:
                continue
            largest = max(
                max(free.get((product.id, wh), 0.0), 0.0) for wh in warehouses
            )
            if largest > 0:
                return product, round(largest) + 50
        return None

    def _scenario_allocation_order(self, company, warehouse, customer, product, qty):
        return (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "warehouse_id": warehouse.id,
                    "client_order_ref": "Allocation demo",
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )
