# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import datetime

from odoo import Command, api, models
from odoo.tools import float_compare

IC_GROUPS = (
    "base.group_user",
    "sales_team.group_sale_salesman_all_leads",
    "purchase.group_purchase_user",
    "stock.group_stock_user",
    "account.group_account_invoice",
)


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "intercompany"]

    def _scenario_intercompany(self, data):
        """Rules between the scenario companies and an expedite order of the
        first company, short in its warehouse, fulfilled from another entity's
        stock: its purchase and the other entity's sale are confirmed, the other
        entity ships and invoices, the receipt and the bill follow."""
        companies = self.env["res.company"].concat(*data["companies"])
        users = self._scenario_ic_users(companies)
        Rule = self.env["distrib.intercompany.rule"]
        rules = Rule
        for seller in companies:
            for supplier in companies - seller:
                vals = {
                    "company_id": seller.id,
                    "supplier_company_id": supplier.id,
                    "markup_percent": seller.distrib_intercompany_markup_percent or 5.0,
                    "fulfilment_mode": "transfer",
                    "auto_validate": True,
                    "user_id": users[seller].id,
                    "supplier_user_id": users[supplier].id,
                }
                rule = Rule.search(
                    [
                        ("company_id", "=", seller.id),
                        ("supplier_company_id", "=", supplier.id),
                    ]
                )
                if rule:
                    rule.write(vals)
                else:
                    rule = Rule.create(vals)
                rules |= rule
        data["intercompany_rules"] = rules
        data["intercompany_order"] = self._scenario_ic_expedite_order(data)

    def _scenario_ic_users(self, companies):
        """One intercompany user per company (allowed in all of them: Odoo's
        deliveries to another company go through the Inter-company transit
        location, which needs a multi-company user)."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        groups = [self.env.ref(xmlid).id for xmlid in IC_GROUPS]
        users = {}
        for company in companies:
            login = f"intercompany{company.id}"
            vals = {
                "name": self.env._("Intercompany %(company)s", company=company.name),
                "login": login,
                "email": f"{login}@atlas-supply.example.com",
                "company_id": company.id,
                "company_ids": [Command.set(companies.ids)],
                "groups_id": [Command.set(groups)],
            }
            user = Users.search([("login", "=", login)], limit=1)
            if user:
                user.write(vals)
            else:
                user = Users.create(vals)
            users[company] = user
        return users

    def _scenario_ic_pick(self, data):
        """(product, short warehouse, source warehouse, quantity): a product the
        first company's first warehouse is short of while a warehouse of another
        company holds enough."""
        companies = data["companies"]
        warehouses = data["warehouses"]
        target = warehouses.filtered(lambda wh: wh.company_id == companies[0])[:1]
        sources = warehouses.filtered(lambda wh: wh.company_id != companies[0])
        products = data["products"].filtered("is_storable")
        Quant = self.env["stock.quant"]
        free = {}
        for warehouse in target | sources:
            groups = Quant._read_group(
                [
                    ("product_id", "in", products.ids),
                    ("location_id", "child_of", warehouse.lot_stock_id.id),
                ],
                groupby=["product_id"],
                aggregates=["quantity:sum", "reserved_quantity:sum"],
            )
            for product, quantity, reserved in groups:
                free[product.id, warehouse.id] = quantity - reserved
        best = None
        for product in products:
            own = max(free.get((product.id, target.id), 0.0), 0.0)
            for source in sources:
                other = free.get((product.id, source.id), 0.0)
                # short here (more than the free stock), fully free over there
                quantity = min(other, own + 10.0)
                rounding = product.uom_id.rounding
                if float_compare(quantity, own + 1.0, precision_rounding=rounding) < 0:
                    continue
                if best is None or other - own > best[0]:
                    best = (other - own, product, source, quantity)
        if best is None:
            return None
        _gap, product, source, quantity = best
        return product, target, source, quantity

    def _scenario_ic_expedite_order(self, data):
        """Quote the short quantity in the first warehouse, apply the "other
        company" sourcing option, confirm; the other entity ships and invoices."""
        picked = self._scenario_ic_pick(data)
        if not picked:
            return self.env["sale.order"]
        product, target, source, quantity = picked
        company = target.company_id
        today = data["today"]
        vals = {
            "partner_id": data["customers"][0].id,
            "company_id": company.id,
            "warehouse_id": target.id,
            "client_order_ref": "EXPEDITE",
            "commitment_date": datetime.datetime.combine(
                today + datetime.timedelta(days=2), datetime.time(12)
            ),
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": quantity})
            ],
        }
        # the walk-through's order belongs to the ``sales`` user
        seller = data.get("users", {}).get("sales")
        if seller:
            vals["user_id"] = seller.id
        order = self.env["sale.order"].with_company(company).create(vals)
        line = order.order_line
        order.action_distrib_sourcing_options()
        option = order.distrib_sourcing_option_ids.filtered(
            lambda opt: opt.kind == "company" and opt.company_id == source.company_id
        )[:1]
        if option:
            option.action_apply()
        else:
            line.write(
                {
                    "distrib_source_kind": "company",
                    "distrib_ic_supplier_company_id": source.company_id.id,
                    "distrib_source_warehouse_id": source.id,
                }
            )
        order.with_company(company).action_confirm()
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        deliveries = sale.picking_ids.filtered(lambda p: p.state == "assigned")
        ready = self._scenario_pick_reserved(deliveries)
        self._scenario_validate(ready, today)
        if ready and sale.order_line.qty_delivered:
            invoice = sale.with_company(sale.company_id)._create_invoices()
            invoice.invoice_date = today
            invoice.action_post()
        return order
