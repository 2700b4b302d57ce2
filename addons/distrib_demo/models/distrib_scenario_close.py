# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, models

_logger = logging.getLogger(__name__)

# accounts of the close (code, name, type), created where missing
CLOSE_ACCOUNTS = {
    "lc_interim": ("211700", "Landed Costs Expected", "liability_current"),
    "grni": ("211800", "Goods Received Not Invoiced", "liability_current"),
    "dni": ("121800", "Delivered Not Invoiced", "asset_current"),
}
# landed-cost service products: key, name
LC_PRODUCTS = [
    ("freight", "Freight"),
    ("duty", "Customs Duty"),
    ("handling", "Handling"),
]
# duty (% of value) by the company's country, then the vendor's country
DUTY_RATES = {
    "US": {"CN": 7.5, "CO": 3.0, "DE": 2.5, "NL": 2.5},
    "NL": {"CN": 4.7, "US": 3.5, "CO": 2.0, "CA": 2.0},
}
# the expedited (air) freight of one vendor, % of value
EXPEDITE_VENDOR = ("Andes Coffee Importers", 6.0)
# heavier goods cost more to handle: (top category, per unit)
HANDLING_CATEGORY = ("Industrial", 0.25)
# the carrier bills against the expected freight: billed / expected
CARRIER_FACTORS = (1.03, 0.95, 1.35)
# a last carrier bill over the approval threshold waits for finance
APPROVAL_FACTOR = 2.0


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        steps = super()._scenario_steps()
        # the terms exist before the history's receipts are validated, so that
        # every receipt of the history carries its expected landed costs
        position = steps.index("history") if "history" in steps else len(steps)
        steps.insert(position, "close_terms")
        # the close last: it locks last month, after which nothing is posted in it
        steps.append("close")
        return steps

    # ------------------------------------------------------------------
    # terms (before the history)
    # ------------------------------------------------------------------
    def _scenario_close_terms(self, data):
        """Opt every company in to the close: its accounts, the landed-cost
        products, and the terms (freight on value, duty by vendor country,
        handling per unit, expedited air freight for one vendor)."""
        products = self._scenario_close_products(data)
        data["close_products"] = products
        suppliers = data.get("suppliers") or self.env["res.partner"]
        expedite_vendor = suppliers.filtered(lambda p: p.name == EXPEDITE_VENDOR[0])[:1]
        heavy = self.env["product.category"].search(
            [("name", "=", HANDLING_CATEGORY[0]), ("parent_id.parent_id", "=", False)],
            limit=1,
        )
        Term = self.env["distrib.landed.cost.term"]
        vals_list = []
        for company in data["companies"]:
            accounts = self._scenario_close_accounts(company)
            company.write(
                {
                    "distrib_close_enabled": True,
                    "distrib_lc_variance_tolerance": 10.0,
                    "distrib_close_target_days": 5,
                    "distrib_accrual_account_id": accounts["grni"].id,
                    "distrib_accrued_revenue_account_id": accounts["dni"].id,
                }
            )
            self._scenario_close_lc_category(company, products, accounts)
            common = {"company_id": company.id}
            home = company.country_id
            vals_list += [
                {
                    **common,
                    "name": "Freight",
                    "cost_type": "freight",
                    "basis": "percent",
                    "rate": 4.0,
                    "product_id": products["freight"].id,
                },
                {
                    **common,
                    "name": f"Domestic freight ({home.code})",
                    "cost_type": "freight",
                    "basis": "percent",
                    "rate": 2.5,
                    "country_id": home.id,
                    "product_id": products["freight"].id,
                },
                {
                    **common,
                    "name": "Handling",
                    "cost_type": "handling",
                    "basis": "per_unit",
                    "rate": 0.05,
                    "product_id": products["handling"].id,
                },
            ]
            if heavy:
                vals_list.append(
                    {
                        **common,
                        "name": f"Handling ({heavy.name})",
                        "cost_type": "handling",
                        "basis": "per_unit",
                        "rate": HANDLING_CATEGORY[1],
                        "categ_id": heavy.id,
                        "product_id": products["handling"].id,
                    }
                )
            if expedite_vendor:
                vals_list.append(
                    {
                        **common,
                        "name": f"Air freight ({expedite_vendor.name})",
                        "cost_type": "freight",
                        "basis": "percent",
                        "rate": EXPEDITE_VENDOR[1],
                        "partner_id": expedite_vendor.id,
                        "expedite": True,
                        "product_id": products["freight"].id,
                    }
                )
            for code, rate in sorted(DUTY_RATES.get(home.code, {}).items()):
                country = self.env.ref(f"base.{code.lower()}")
                vals_list.append(
                    {
                        **common,
                        "name": f"Duty ({code})",
                        "cost_type": "duty",
                        "basis": "percent",
                        "rate": rate,
                        "country_id": country.id,
                        "product_id": products["duty"].id,
                    }
                )
        data["landed_cost_terms"] = Term.create(vals_list)

    def _scenario_close_products(self, data):
        category = self.env["product.category"].create(
            {
                "name": "Landed Costs",
                "parent_id": self.env.ref("product.product_category_all").id,
            }
        )
        data["close_lc_category"] = category
        products = self.env["product.product"].create(
            [
                {
                    "name": name,
                    "default_code": f"LC-{key.upper()}",
                    "type": "service",
                    "landed_cost_ok": True,
                    "categ_id": category.id,
                    "purchase_method": "purchase",
                    "company_id": False,
                    "taxes_id": [Command.clear()],
                    "supplier_taxes_id": [Command.clear()],
                }
                for key, name in LC_PRODUCTS
            ]
        )
        return dict(zip([key for key, _name in LC_PRODUCTS], products, strict=True))

    def _scenario_close_lc_category(self, company, products, accounts):
        """The landed-cost products' category in ``company``: what is expected
        and not billed yet sits on its own interim account, apart from the
        goods received not invoiced."""
        category = products["freight"].categ_id.with_company(company)
        goods = self.env.ref("product.product_category_all").with_company(company)
        category.write(
            {
                "property_valuation": "real_time",
                "property_stock_valuation_account_id": (
                    goods.property_stock_valuation_account_id.id
                ),
                "property_stock_account_input_categ_id": accounts["lc_interim"].id,
                "property_stock_account_output_categ_id": (
                    goods.property_stock_account_output_categ_id.id
                ),
                "property_stock_journal": goods.property_stock_journal.id,
            }
        )

    def _scenario_close_accounts(self, company):
        Account = self.env["account.account"].with_company(company)
        result = {}
        for key, (code, name, account_type) in CLOSE_ACCOUNTS.items():
            account = Account.search(
                [*Account._check_company_domain(company), ("code", "=", code)],
                limit=1,
            )
            result[key] = account or Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": True,
                    "company_ids": [Command.set(company.ids)],
                }
            )
        return result

    # ------------------------------------------------------------------
    # carrier bills and the close (last)
    # ------------------------------------------------------------------
    def _scenario_close(self, data):
        """Carrier bills against the expected freight of recent receipts (within
        and beyond the tolerance, one waiting for approval), last month closed
        and locked in each company, and the current month open with its
        blockers."""
        today = data["today"]
        month = today.replace(day=1)
        last_month = month - relativedelta(months=1)
        finance = data.get("users", {}).get("finance") or self.env.user
        data["close_bills"] = self.env["account.move"]
        data["close_periods"] = self.env["distrib.close.period"]
        for company in data["companies"]:
            self._scenario_close_carrier_bills(data, company)
            data["close_periods"] |= self._scenario_close_periods(
                data, company, finance, last_month, month
            )

    def _scenario_close_carrier(self, data):
        carrier = data.get("close_carrier")
        if not carrier:
            carrier = self.env["res.partner"].create(
                {
                    "name": "Transmarine Freight Lines",
                    "is_company": True,
                    "supplier_rank": 1,
                }
            )
            data["close_carrier"] = carrier
        return carrier

    def _scenario_close_carrier_bills(self, data, company):
        """Bills of the carrier for the freight of the company's latest
        receipts: close to the estimate, under it, beyond the tolerance (a
        landed-cost variance for finance), and one over the approval threshold
        (waiting for finance before it posts)."""
        freight = data["close_products"]["freight"]
        costs = self.env["stock.landed.cost"].search(
            [
                ("company_id", "=", company.id),
                ("distrib_kind", "=", "expected"),
                ("state", "=", "done"),
                ("cost_lines.product_id", "=", freight.id),
            ],
            order="date desc, id desc",
            limit=len(CARRIER_FACTORS) + 1,
        )
        if len(costs) <= len(CARRIER_FACTORS):
            _logger.info("distrib scenario: too few receipts to bill in %s", company)
            return
        carrier = self._scenario_close_carrier(data)
        date = data["today"]
        factors = [*CARRIER_FACTORS, APPROVAL_FACTOR]
        bills = self.env["account.move"]
        for cost, factor in zip(costs, factors, strict=True):
            expected = sum(
                cost.cost_lines.filtered(lambda c: c.product_id == freight).mapped(
                    "price_unit"
                )
            )
            if factor == APPROVAL_FACTOR:
                # from now on, a variance above half of this one waits for finance
                self._scenario_close_approval_policy(
                    data, company, company.currency_id.round(expected / 2.0)
                )
            bill = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "in_invoice",
                        "company_id": company.id,
                        "partner_id": carrier.id,
                        "invoice_date": date,
                        "ref": f"FRT-{cost.picking_ids[:1].name}",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": freight.id,
                                    "quantity": 1.0,
                                    "price_unit": company.currency_id.round(
                                        expected * factor
                                    ),
                                    "is_landed_costs_line": True,
                                    "distrib_lc_picking_id": cost.picking_ids[:1].id,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            bill.action_post()
            bills |= bill
        data["close_bills"] |= bills

    def _scenario_close_approval_policy(self, data, company, threshold):
        Policy = self.env["distrib.approval.policy"]
        group = self.env.ref("distrib_atp.group_distrib_finance")
        return Policy.create(
            {
                "name": dict(Policy._fields["metric"].selection)[
                    "landed_cost_variance"
                ],
                "company_id": company.id,
                "metric": "landed_cost_variance",
                "direction": "above",
                "threshold": threshold,
                "approver_group_id": group.id,
            }
        )

    def _scenario_close_periods(self, data, company, finance, last_month, month):
        """Last month: accruals run, manual items done, locked. This month:
        open, with the same manual items to do and what the data says blocks
        it."""
        Period = self.env["distrib.close.period"].with_company(company)
        closed = Period.create({"company_id": company.id, "date_start": last_month})
        manager = data.get("users", {}).get("manager") or finance
        closed.write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "name": self.env._("Bank accounts reconciled"),
                            "kind": "manual",
                            "owner_id": finance.id,
                            "due_day": 3,
                            "sequence": 100,
                        }
                    ),
                    Command.create(
                        {
                            "name": self.env._("Management review of the margins"),
                            "kind": "manual",
                            "owner_id": manager.id,
                            "due_day": 5,
                            "sequence": 110,
                        }
                    ),
                ]
            }
        )
        as_finance = closed.with_user(finance).with_company(company)
        as_finance.action_run_accruals()
        closed.item_ids.filtered(lambda i: i.kind == "manual").with_user(
            finance
        ).with_company(company).action_done()
        result = as_finance.action_lock()
        if isinstance(result, dict):
            _logger.warning(
                "distrib scenario: %s not locked: %s",
                closed.name,
                result["params"]["message"],
            )
        current = Period.create({"company_id": company.id, "date_start": month})
        current._refresh()
        return closed | current
