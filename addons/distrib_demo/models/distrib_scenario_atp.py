# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import datetime

from odoo import Command, api, models

DEMO_REF = "ATP demo: %s"


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "atp_shortages"]

    def _scenario_atp_shortages(self, data):
        """Quotations whose short lines show each kind of sourcing option.

        In the first warehouse of the first company: a line another warehouse of
        the company can ship, a line only another company has, a line with an
        approved substitute in stock and a line to split (part free now, the rest
        received later). The first company promises on confirmation with the "warn"
        policy; the second shares its availability with the group.
        """
        companies = data["companies"]
        warehouses = data["warehouses"]
        main_company, other_company = companies[0], companies[1]
        main_company.write(
            {
                "distrib_atp_promise": True,
                "distrib_atp_policy": "warn",
                "distrib_atp_commitment_date": True,
            }
        )
        other_company.distrib_share_availability = True
        wh_main = warehouses.filtered(lambda wh: wh.company_id == main_company)
        wh_other = warehouses.filtered(lambda wh: wh.company_id == other_company)
        home, sister = wh_main[0], wh_main[1]
        products = data["products"].filtered(
            lambda p: (
                p.is_storable
                and p.sale_ok
                and (not p.company_id or p.company_id == main_company)
            )
        )
        today = data["today"]
        projections = self.env["distrib.atp"]._distrib_projections(
            products.ids, (wh_main | wh_other).ids
        )

        def promisable(product, warehouse):
            return projections[product.id, warehouse.id].promisable(today)

        used = set()

        def pick(condition):
            for product in products:
                if product.id not in used and condition(product):
                    used.add(product.id)
                    return product
            return None

        lines = {}
        # 1. another warehouse of the company has it
        product = pick(lambda p: promisable(p, sister) >= promisable(p, home) + 5)
        if product:
            lines["warehouse"] = (product, int(promisable(product, sister)))
        # 2. only the other company has it
        product = pick(
            lambda p: (
                max(promisable(p, wh) for wh in wh_other)
                >= max(promisable(p, home), promisable(p, sister), 0) + 5
            )
        )
        if product:
            qty = max(promisable(product, wh) for wh in wh_other)
            lines["company"] = (product, int(qty))
        # 3. split: part free now, the rest received later
        product = pick(
            lambda p: (
                promisable(p, home) >= 2
                and projections[p.id, home.id].next_available_date(
                    promisable(p, home) + 2, today
                )
            )
        )
        if product:
            lines["split"] = (product, int(promisable(product, home)) + 2)
        # 4. an approved substitute has it: a product of the same category, sold
        # in the same kind of unit (the same pack size where there is one)
        pair = self._scenario_atp_substitute_pair(products, used, promisable, home)
        if pair:
            product, spare = pair
            used.update((product.id, spare.id))
            qty = int(max(promisable(product, home), 0)) + 5
            segments = data.get("segments") or self.env["distrib.customer.segment"]
            product.product_tmpl_id.distrib_substitute_ids = [
                Command.create(
                    {
                        "substitute_product_id": spare.id,
                        "priority": 1,
                        "customer_accept_required": True,
                        "note": "Same category and pack, other variety",
                    }
                ),
                Command.create(
                    {
                        "substitute_product_id": spare.id,
                        "priority": 2,
                        "min_qty": 100,
                        "segment_ids": [Command.set(segments[:1].ids)],
                        "note": "Bulk buyers of the first segment only",
                    }
                ),
            ]
            lines["substitute"] = (product, qty)
        customer = data["customers"].filtered(
            lambda c: not c.company_id or c.company_id == main_company
        )[:1]
        # the walk-through's quotations belong to the ``sales`` user
        seller = data.get("users", {}).get("sales")
        orders = {}
        for kind, (product, qty) in lines.items():
            vals = {
                "partner_id": customer.id,
                "company_id": main_company.id,
                "warehouse_id": home.id,
                "client_order_ref": DEMO_REF % kind,
                "date_order": datetime.datetime.combine(today, datetime.time(9, 0)),
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                ],
            }
            if seller:
                vals["user_id"] = seller.id
            orders[kind] = (
                self.env["sale.order"].with_company(main_company).create(vals)
            )
        data["atp_shortage_orders"] = orders

    @api.model
    def _scenario_atp_substitute_pair(self, products, used, promisable, warehouse):
        """(product, substitute) a customer would accept: same category, same
        unit category, the same pack size when the names carry one ("Cola, 24 x
        330 ml Cans" for "Diet Cola, 24 x 330 ml Cans"); the substitute has at
        least 10 more promisable in ``warehouse``. None when no pair fits."""

        def pack(product):
            name = product.name or ""
            return name.rsplit(", ", 1)[1] if ", " in name else ""

        free = {product: promisable(product, warehouse) for product in products}
        best = None
        for product in products:
            if product.id in used:
                continue
            need = max(free[product], 0) + 10
            for spare in products:
                if (
                    spare.id in used
                    or spare.product_tmpl_id == product.product_tmpl_id
                    or spare.categ_id != product.categ_id
                    or spare.uom_id.category_id != product.uom_id.category_id
                    or free[spare] < need
                ):
                    continue
                key = (pack(spare) == pack(product), free[spare])
                if best is None or key > best[0]:
                    best = (key, product, spare)
            if best and best[0][0]:
                break
        return best and best[1:]
