import logging
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round

from ..scenario import catalog, planner

_logger = logging.getLogger(__name__)

BUILT_PARAM = "distrib_demo.scenario_built"
# where databases built before the builder moved to distrib_demo keep the mark
LEGACY_BUILT_PARAM = "distrib_atp.scenario_built"
# hour of the day at which each kind of dated operation happens
HOURS = {
    "order": 9,
    "receipt": 10,
    "transfer": 11,
    "delivery": 14,
    "count": 17,
}
# the work of a day, in this order: (kind on the agenda, method)
HISTORY_STEPS = [
    ("purchase", "_scenario_history_purchases"),
    ("receipt", "_scenario_history_receipts"),
    ("bill", "_scenario_history_bills"),
    ("transfer", "_scenario_history_transfers"),
    ("sale", "_scenario_history_sales"),
    ("delivery", "_scenario_history_deliveries"),
    ("pay", "_scenario_history_payments"),
    ("count", "_scenario_history_counts"),
]
UOM_XMLIDS = {
    "unit": "uom.product_uom_unit",
    "dozen": "uom.product_uom_dozen",
    "kg": "uom.product_uom_kgm",
    "litre": "uom.product_uom_litre",
}
# cost method per top category: FIFO where lots of hardware age on shelves
COST_METHODS = {"Industrial": "fifo", "Packaging": "fifo"}
FEATURE_GROUPS = [
    "product.group_product_pricelist",
    "uom.group_uom",
    "stock.group_production_lot",
    "stock.group_stock_multi_locations",
    "stock.group_stock_multi_warehouses",
    "product.group_stock_packaging",
]
BUILD_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "no_reset_password": True,
    "skip_sms": True,
}


class DistribScenario(models.AbstractModel):
    """Deterministic multi-entity demo dataset, built through the ORM.

    ``build(seed)`` runs the steps named by ``_scenario_steps()`` in order; each step
    ``_scenario_<name>(data)`` reads and fills the shared dict ``data`` (see the keys
    in ``build``). Higher addons inherit this model and append their own steps.
    """

    _name = "distrib.scenario"
    _description = "Distribution Demo Scenario Builder"

    # ------------------------------------------------------------------
    # entry point and hooks
    # ------------------------------------------------------------------
    @api.model
    def _scenario_steps(self):
        """Names of the steps, in order. Override and append to add steps."""
        return [
            "settings",
            "companies",
            "warehouses",
            "catalog",
            "partners",
            "pricelists",
            "users",
            "opening_stock",
            "history",
            "open_orders",
            "layer_dates",
        ]

    @api.model
    def _scenario_is_built(self):
        return bool(self._scenario_built_info())

    @api.model
    def _scenario_built_info(self):
        params = self.env["ir.config_parameter"].sudo()
        return params.get_param(BUILT_PARAM) or params.get_param(LEGACY_BUILT_PARAM)

    @api.model
    def build(self, seed=42):
        """Build the demo dataset; return its counts (and ``seconds`` per step)."""
        return self._scenario_run(seed)["counts"]

    @api.model
    def _scenario_run(self, seed=42):
        """Run the steps; return the shared ``data`` dict, its ``counts`` included.

        ``data`` keys: ``rng``, ``seed``, ``today``, ``companies``, ``warehouses``,
        ``products``, ``customers``, ``suppliers``, ``segments``, ``sale_orders``,
        ``purchase_orders`` (the open ones), ``users`` (role -> res.users).
        """
        if not self.env.is_admin():
            raise AccessError(
                self.env._("Only an administrator can build the demo scenario.")
            )
        if self._scenario_is_built():
            raise UserError(
                self.env._(
                    "The demo scenario was already built in this database (%(info)s). "
                    "Build it in a new database instead.",
                    info=self._scenario_built_info(),
                )
            )
        scenario = self.sudo().with_context(**BUILD_CONTEXT)
        data = {
            "rng": random.Random(seed),
            "seed": seed,
            "today": fields.Date.context_today(self),
            "started_at": fields.Datetime.now(),
            "seconds": {},
        }
        started = time.perf_counter()
        cpu_started = time.process_time()
        for step in scenario._scenario_steps():
            step_started = time.perf_counter()
            getattr(scenario, f"_scenario_{step}")(data)
            scenario.env.flush_all()
            data["seconds"][step] = round(time.perf_counter() - step_started, 1)
            _logger.info(
                "distrib scenario: step %s done in %.1f s", step, data["seconds"][step]
            )
        total = round(time.perf_counter() - started, 1)
        for kind, seconds in data.get("history_seconds", {}).items():
            data["seconds"][f"  history: {kind}"] = round(seconds, 1)
        self.env["ir.config_parameter"].sudo().set_param(
            BUILT_PARAM, f"seed {seed}, built on {data['today']}"
        )
        counts = scenario._scenario_counts(data)
        counts["seconds"] = dict(data["seconds"])
        counts["total_seconds"] = total
        # CPU of this Odoo process only (PostgreSQL works on top of it): the wall
        # time above grows with whatever else runs on the machine
        counts["cpu_seconds"] = round(time.process_time() - cpu_started, 1)
        _logger.info("distrib scenario built in %.1f s: %s", total, counts)
        data["counts"] = counts
        return data

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @api.model
    def _scenario_datetime(self, data, day, kind):
        """Naive UTC datetime of ``day`` (days from the opening) for ``kind``."""
        date = self._scenario_date(data, day)
        return datetime(date.year, date.month, date.day, HOURS[kind])

    @api.model
    def _scenario_date(self, data, day):
        return data["today"] - timedelta(days=data["horizon"] - day)

    @api.model
    def _scenario_backdate(self, data, when):
        """Date the stock operations done since the build started at ``when``."""
        started = data["started_at"]
        moves = self.env["stock.move"].search(
            [("state", "=", "done"), ("date", ">=", started)]
        )
        if moves:
            moves.write({"date": when})
            moves.move_line_ids.filtered(lambda line: line.date >= started).write(
                {"date": when}
            )
        pickings = self.env["stock.picking"].search(
            [("state", "=", "done"), ("date_done", ">=", started)]
        )
        if pickings:
            pickings.write({"date_done": when})

    @api.model
    def _scenario_validate(self, pickings, date, no_backorder=None):
        """Validate pickings whose quantities are set, accounted on ``date``."""
        if not pickings:
            return
        context = {"force_period_date": date, "skip_backorder": True}
        if no_backorder:
            context["picking_ids_not_to_backorder"] = no_backorder.ids
        result = pickings.with_context(**context).button_validate()
        if isinstance(result, dict):
            raise UserError(
                self.env._(
                    "Validating %(pickings)s asked for a wizard (%(model)s).",
                    pickings=", ".join(pickings.mapped("name")),
                    model=result.get("res_model"),
                )
            )

    @api.model
    def _scenario_pick_reserved(self, pickings):
        """Mark the reserved quantities as picked; return the pickings with some."""
        ready = self.env["stock.picking"]
        for picking in pickings:
            moves = picking.move_ids.filtered(lambda m: m.quantity > 0)
            if moves:
                moves.picked = True
                ready |= picking
        return ready

    @api.model
    def _scenario_receive(self, pickings, date, ratio=1.0):
        """Set the received quantities (with lots) of incoming pickings."""
        lot_suffix = date.strftime("%y%m%d")
        for move in pickings.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel")
        ):
            # goods counted in units arrive whole (no half bottle on a receipt)
            uom = move.product_uom
            counted = uom.category_id == self.env.ref("uom.product_uom_categ_unit")
            qty = float_round(
                move.product_uom_qty * ratio,
                precision_rounding=max(uom.rounding, 1.0) if counted else uom.rounding,
            )
            if move.product_id.tracking == "lot":
                lines = move.move_line_ids
                if len(lines) > 1:
                    lines[1:].unlink()
                    lines = lines[:1]
                line_vals = {
                    "quantity": qty,
                    "lot_name": f"{move.product_id.default_code}-{lot_suffix}",
                }
                if lines:
                    lines.write(line_vals)
                else:
                    self.env["stock.move.line"].create(
                        dict(move._prepare_move_line_vals(), **line_vals)
                    )
            else:
                move.quantity = qty
            move.picked = True

    @api.model
    def _scenario_pay(self, moves, date):
        """Register the payment of ``moves`` (one company) on ``date``."""
        moves = moves.filtered(
            lambda m: m.state == "posted" and m.payment_state in ("not_paid", "partial")
        )
        if not moves:
            return
        groups = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            groups[move.company_id, move.is_inbound()] |= move
        for (company, _inbound), company_moves in groups.items():
            self.env["account.payment.register"].with_company(company).with_context(
                active_model="account.move", active_ids=company_moves.ids
            ).create({"payment_date": date})._create_payments()

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------
    def _scenario_settings(self, data):
        """Features the demo shows: pricelists, units of measure, lots,
        locations, packagings (the scanned cases)."""
        groups = [self.env.ref(xmlid) for xmlid in FEATURE_GROUPS]
        self.env.ref("base.group_user").write(
            {"implied_ids": [Command.link(group.id) for group in groups]}
        )
        data["horizon"] = planner.HORIZON

    def _scenario_companies(self, data):
        eur = self.env.ref("base.EUR")
        if not eur.active:
            eur.active = True
        first_month = data["today"].replace(day=1)
        rates = []
        for months_back, rate in enumerate(catalog.EUR_RATES):
            year, month = first_month.year, first_month.month - months_back
            while month < 1:
                year, month = year - 1, month + 12
            rates.append(
                {
                    "currency_id": eur.id,
                    "name": first_month.replace(year=year, month=month),
                    "rate": rate,
                    "company_id": False,
                }
            )
        existing = self.env["res.currency.rate"].search(
            [("currency_id", "=", eur.id), ("company_id", "=", False)]
        )
        existing_dates = set(existing.mapped("name"))
        self.env["res.currency.rate"].create(
            [vals for vals in rates if vals["name"] not in existing_dates]
        )
        admins = self.env.user | self.env.ref("base.user_admin")
        companies = self.env["res.company"]
        for spec in catalog.COMPANIES:
            country = self.env.ref(f"base.{spec['country'].lower()}")
            currency = self.env.ref(f"base.{spec['currency']}")
            # chart_template_load: no automatic install of the country's
            # localisation modules; the generic chart is loaded just below
            company = (
                self.env["res.company"]
                .with_context(chart_template_load=True)
                .create(
                    {
                        "name": spec["name"],
                        "currency_id": currency.id,
                        "country_id": country.id,
                        "street": spec["street"],
                        "city": spec["city"],
                        "zip": spec["zip"],
                    }
                )
            )
            # set after the creation: an e-mail domain at creation makes partner
            # autocompletion (when installed) call an online service
            company.email = spec["email"]
            admins.write({"company_ids": [Command.link(company.id)]})
            self.env["account.chart.template"].try_loading(
                "generic_coa", company, install_demo=False
            )
            # the generic chart comes in USD: keep the entity's own currency
            if company.currency_id != currency:
                company.currency_id = currency
            if not company.account_fiscal_country_id:
                company.account_fiscal_country_id = country
            company.account_use_credit_limit = True
            companies |= company
        data["companies"] = list(companies)

    def _scenario_warehouses(self, data):
        Warehouse = self.env["stock.warehouse"]
        warehouses = Warehouse
        specs = planner.warehouse_specs()
        for company_index, company in enumerate(data["companies"]):
            existing = Warehouse.search([("company_id", "=", company.id)], order="id")
            for position, spec in enumerate(
                [s for s in specs if s["company"] == company_index]
            ):
                vals = {"name": spec["name"], "code": spec["code"]}
                if position < len(existing):
                    warehouse = existing[position]
                    warehouse.write(vals)
                else:
                    warehouse = Warehouse.with_company(company).create(
                        dict(
                            vals,
                            company_id=company.id,
                            partner_id=company.partner_id.id,
                        )
                    )
                warehouses |= warehouse
        warehouses.action_distrib_create_status_locations()
        data["warehouses"] = warehouses
        self._scenario_company_partner_locations(data)

    def _scenario_company_partner_locations(self, data):
        """Deliver an entity's orders to itself like any customer's.

        Odoo gives a company's partner the company's Inter-warehouse transit as
        customer location as soon as a warehouse has that partner as its
        address (every warehouse of the scenario): meant for resupply routes between
        warehouses, which the scenario does not use (its transfers go from stock to
        stock, the sourcing options ship from the other warehouse). The entities
        are customers of one another in the demo, so "Atlas Supply East Inc." is
        offered among East's customers; a quotation to it asked for a rule into the
        transit location that no route has, and could not be confirmed. The other
        companies keep Odoo's Inter-company transit for these partners (the
        intercompany flow delivers through it).
        """
        customers = self.env.ref("stock.stock_location_customers")
        for company in data["companies"]:
            partner = company.partner_id.with_company(company)
            if partner.property_stock_customer.usage == "transit":
                partner.property_stock_customer = customers

    def _scenario_catalog(self, data):
        rng = data["rng"]
        specs = planner.plan_products(rng)
        data["product_specs"] = specs
        Category = self.env["product.category"]
        root = self.env.ref("product.product_category_all")
        categories = {}
        for spec in catalog.CATALOG:
            parent_name, child_name = spec[0], spec[1]
            if parent_name not in categories:
                categories[parent_name] = Category.create(
                    {"name": parent_name, "parent_id": root.id}
                )
            categories[parent_name, child_name] = Category.create(
                {"name": child_name, "parent_id": categories[parent_name].id}
            )
        all_categories = Category.concat(*categories.values())
        for company in data["companies"]:
            for method in ("average", "fifo"):
                selected = all_categories.filtered(
                    lambda c, m=method: (
                        COST_METHODS.get(
                            c.parent_id.name if c.parent_id != root else c.name,
                            "average",
                        )
                        == m
                    )
                )
                selected.with_company(company).write(
                    {"property_cost_method": method, "property_valuation": "real_time"}
                )
        data["categories"] = all_categories
        uoms = {key: self.env.ref(xmlid) for key, xmlid in UOM_XMLIDS.items()}
        companies = data["companies"]
        sale_taxes = self.env["account.tax"].concat(
            *(c.account_sale_tax_id for c in companies)
        )
        purchase_taxes = self.env["account.tax"].concat(
            *(c.account_purchase_tax_id for c in companies)
        )
        templates = self.env["product.template"].create(
            [
                {
                    "name": spec["name"],
                    "default_code": spec["code"],
                    "categ_id": categories[spec["parent"], spec["child"]].id,
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "lot" if spec["lot"] else "none",
                    "uom_id": uoms[spec["uom"]].id,
                    "uom_po_id": uoms[spec["po_uom"]].id,
                    "list_price": spec["price"],
                    "invoice_policy": "delivery",
                    "purchase_method": "receive",
                    "company_id": False,
                    "taxes_id": [Command.set(sale_taxes.ids)],
                    "supplier_taxes_id": [Command.set(purchase_taxes.ids)],
                }
                for spec in specs
            ]
        )
        products = self.env["product.product"].concat(
            *(template.product_variant_id for template in templates)
        )
        data["products"] = products
        data["eur_rate"] = catalog.EUR_RATES[0]
        for company in companies:
            factor = data["eur_rate"] if company.currency_id.name == "EUR" else 1.0
            for product, spec in zip(
                products.with_company(company), specs, strict=True
            ):
                product.standard_price = round(spec["cost"] * factor, 2)

    def _scenario_partners(self, data):
        rng = data["rng"]
        companies = data["companies"]
        segments = self.env["distrib.customer.segment"]
        segment_by_code = {}
        for sequence, (code, name, *_rest) in enumerate(catalog.SEGMENTS):
            segment = segments.search([("code", "=", code)], limit=1)
            if not segment:
                segment = segments.create(
                    {"name": name, "code": code, "sequence": 10 * (sequence + 1)}
                )
            segment_by_code[code] = segment
        data["segments"] = segments.concat(*segment_by_code.values())

        supplier_specs = planner.plan_suppliers()
        data["supplier_specs"] = supplier_specs
        Partner = self.env["res.partner"]
        suppliers = Partner.create(
            [
                {
                    "name": spec["name"],
                    "is_company": True,
                    "supplier_rank": 1,
                    "country_id": self.env.ref(f"base.{spec['country'].lower()}").id,
                    "email": "orders@"
                    + "".join(ch for ch in spec["name"].lower() if ch.isalnum())[:20]
                    + ".example.com",
                }
                for spec in supplier_specs
            ]
        )
        data["suppliers"] = suppliers
        net30 = self.env.ref("account.account_payment_term_30days")
        for company in companies:
            suppliers.with_company(company).write(
                {"property_supplier_payment_term_id": net30.id}
            )

        customer_specs = planner.plan_customers(rng)
        data["customer_specs"] = customer_specs
        customers = Partner.create(
            [
                {
                    "name": spec["name"],
                    "is_company": True,
                    "customer_rank": 1,
                    "distrib_segment_id": segment_by_code[spec["segment"]].id,
                    "country_id": self.env.ref(f"base.{spec['country'].lower()}").id,
                    "email": "purchasing@"
                    + "".join(ch for ch in spec["name"].lower() if ch.isalnum())[:20]
                    + ".example.com",
                }
                for spec in customer_specs
            ]
        )
        data["customers"] = customers
        for company in companies:
            factor = data["eur_rate"] if company.currency_id.name == "EUR" else 1.0
            for customer, spec in zip(
                customers.with_company(company), customer_specs, strict=True
            ):
                vals = {
                    "credit_limit": round(spec["credit_limit"] * factor, -3),
                    "property_payment_term_id": self.env.ref(spec["term"]).id,
                }
                if spec["rebate"] and spec["company"] == companies.index(company):
                    vals["distrib_rebate_percent"] = spec["rebate"]
                customer.write(vals)

        # vendors of the products, one price list per company in its currency
        product_specs = data["product_specs"]
        supplierinfo = []
        for company in companies:
            factor = data["eur_rate"] if company.currency_id.name == "EUR" else 1.0
            for product, spec in zip(data["products"], product_specs, strict=True):
                supplier = supplier_specs[spec["supplier"]]
                po_factor = (
                    12 if spec["po_uom"] == "dozen" and spec["uom"] == "unit" else 1
                )
                supplierinfo.append(
                    {
                        "partner_id": suppliers[spec["supplier"]].id,
                        "product_tmpl_id": product.product_tmpl_id.id,
                        "price": round(
                            spec["cost"] * factor * po_factor * rng.uniform(0.95, 1.02),
                            2,
                        ),
                        "delay": supplier["lead"],
                        "min_qty": 0.0,
                        "company_id": company.id,
                        "currency_id": company.currency_id.id,
                    }
                )
        self.env["product.supplierinfo"].create(supplierinfo)

    def _scenario_pricelists(self, data):
        rng = data["rng"]
        companies = data["companies"]
        Pricelist = self.env["product.pricelist"]
        standard = {}
        for company in companies:
            pricelist = Pricelist.create(
                {
                    "name": f"{company.name} - Standard ({company.currency_id.name})",
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "sequence": 5,
                }
            )
            standard[company] = pricelist
            data["customers"].with_company(company).write(
                {"property_product_pricelist": pricelist.id}
            )
        contracts = Pricelist
        products = data["products"]
        for customer, spec in zip(
            data["customers"], data["customer_specs"], strict=True
        ):
            if not spec["contract"]:
                continue
            company = companies[spec["company"]]
            factor = data["eur_rate"] if company.currency_id.name == "EUR" else 1.0
            indexes = sorted(rng.sample(range(len(products)), rng.randint(15, 25)))
            pricelist = Pricelist.create(
                {
                    "name": f"Contract - {customer.name}",
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "sequence": 20,
                    "item_ids": [
                        Command.create(
                            {
                                "applied_on": "0_product_variant",
                                "product_id": products[index].id,
                                "product_tmpl_id": products[index].product_tmpl_id.id,
                                "compute_price": "fixed",
                                "fixed_price": round(
                                    data["product_specs"][index]["price"]
                                    * factor
                                    * rng.uniform(0.82, 0.95),
                                    2,
                                ),
                            }
                        )
                        for index in indexes
                    ],
                }
            )
            customer.with_company(company).property_product_pricelist = pricelist
            contracts |= pricelist
        data["pricelists"] = standard
        data["contract_pricelists"] = contracts

    def _scenario_users(self, data):
        companies = self.env["res.company"].concat(*data["companies"])
        Users = self.env["res.users"].with_context(no_reset_password=True)
        users = {}
        for login, name, group_xmlid in catalog.ROLES:
            groups = [self.env.ref("base.group_user").id, self.env.ref(group_xmlid).id]
            vals = {
                "name": name,
                "login": login,
                "password": login,
                "email": f"{login}@atlas-supply.example.com",
                "company_id": companies[0].id,
                "company_ids": [Command.set(companies.ids)],
                "groups_id": [Command.set(groups)],
            }
            user = Users.search([("login", "=", login)], limit=1)
            if user:
                user.write(vals)
            else:
                user = Users.create(vals)
            users[login] = user
        data["users"] = users
        self._scenario_salespeople(data, companies)
        # the administrator lands in the first entity, not in an empty company
        self.env.ref("base.user_admin").company_id = companies[0]

    def _scenario_salespeople(self, data, companies):
        """A salesperson per entity (the ``sales`` role user for the first one),
        set on the entity's customers: every order of the demo belongs to the
        customer's salesperson, who finds it under their own documents."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        groups = [
            self.env.ref("base.group_user").id,
            self.env.ref("distrib_atp.group_distrib_sales").id,
        ]
        salespeople = {}
        for login, name, company_index in catalog.SALESPEOPLE:
            user = data["users"].get(login) or Users.search(
                [("login", "=", login)], limit=1
            )
            if not user:
                user = Users.create(
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "email": f"{login}@atlas-supply.example.com",
                        "company_id": companies[company_index].id,
                        "company_ids": [Command.set(companies.ids)],
                        "groups_id": [Command.set(groups)],
                    }
                )
            salespeople[company_index] = user
        customers_of = defaultdict(lambda: self.env["res.partner"])
        for customer, spec in zip(
            data["customers"], data["customer_specs"], strict=True
        ):
            customers_of[spec["company"]] |= customer
        for company_index, customers in customers_of.items():
            if company_index in salespeople:
                customers.user_id = salespeople[company_index]
        data["salespeople"] = salespeople

    def _scenario_opening_stock(self, data):
        rng = data["rng"]
        plan = planner.plan_history(
            rng,
            data["product_specs"],
            data["customer_specs"],
            data["supplier_specs"],
            horizon=data["horizon"],
        )
        data["plan"] = plan
        warehouses = data["warehouses"]
        products = data["products"]
        opening_date = self._scenario_date(data, 0)
        lots = {}
        lot_vals = []
        for wh_index, product_index, _qty, lot_name in plan["opening"]:
            if lot_name:
                company = warehouses[wh_index].company_id
                key = (company.id, product_index, lot_name)
                if key not in lots:
                    lots[key] = len(lot_vals)
                    lot_vals.append(
                        {
                            "name": lot_name,
                            "product_id": products[product_index].id,
                            "company_id": company.id,
                        }
                    )
        lot_records = self.env["stock.lot"].create(lot_vals)
        quant_vals = []
        for wh_index, product_index, qty, lot_name in plan["opening"]:
            warehouse = warehouses[wh_index]
            vals = {
                "product_id": products[product_index].id,
                "location_id": warehouse.lot_stock_id.id,
                "inventory_quantity": qty,
                "accounting_date": opening_date,
            }
            if lot_name:
                key = (warehouse.company_id.id, product_index, lot_name)
                vals["lot_id"] = lot_records[lots[key]].id
            quant_vals.append(vals)
        status_fields = {
            "quarantine": "distrib_quarantine_location_id",
            "damaged": "distrib_damaged_location_id",
            "returns": "distrib_returns_location_id",
        }
        for wh_index, status, product_index, qty in plan["status_stock"]:
            quant_vals.append(
                {
                    "product_id": products[product_index].id,
                    "location_id": warehouses[wh_index][status_fields[status]].id,
                    "inventory_quantity": qty,
                    "accounting_date": opening_date,
                }
            )
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        for company in data["companies"]:
            company_vals = [
                vals
                for vals in quant_vals
                if self.env["stock.location"].browse(vals["location_id"]).company_id
                == company
            ]
            quants = Quant.with_company(company).create(company_vals)
            result = quants.with_context(
                inventory_name="Opening inventory"
            ).action_apply_inventory()
            if isinstance(result, dict):
                raise UserError(
                    self.env._(
                        "The opening inventory of %(company)s needs a wizard.",
                        company=company.name,
                    )
                )
        self._scenario_backdate(data, self._scenario_datetime(data, 0, "count"))

    # ------------------------------------------------------------------
    # history: one pass over the days, in date order
    # ------------------------------------------------------------------
    def _scenario_history(self, data):
        plan = data["plan"]
        horizon = data["horizon"]
        agenda = defaultdict(lambda: defaultdict(list))
        for sale in plan["sales"]:
            agenda[sale["day"]]["sale"].append(sale)
        for purchase in plan["purchases"]:
            agenda[purchase["day"]]["purchase"].append(purchase)
        for transfer in plan["transfers"]:
            agenda[transfer["day"]]["transfer"].append(transfer)
        for count in plan["counts"]:
            agenda[count["day"]]["count"].append(count)
        data["agenda"] = agenda
        data["history"] = defaultdict(lambda: self.env["stock.picking"])
        for day in range(1, horizon):
            if day not in agenda:
                continue
            # steps of a day may add work for the same day (a bill, a payment):
            # the handlers read ``tasks`` as they go, then the day is closed
            self._scenario_history_day(data, day, agenda[day])
            if day % 30 == 0:
                _logger.info("distrib scenario: history at day %s/%s", day, horizon)
            del agenda[day]
        # what was due today or later stays open
        data["pending_agenda"] = agenda

    def _scenario_history_day(self, data, day, tasks):
        """Run the work of one day, kind by kind (see ``HISTORY_STEPS``)."""
        seconds = data.setdefault("history_seconds", defaultdict(float))
        for kind, method in HISTORY_STEPS:
            if not tasks.get(kind):
                continue
            started = time.perf_counter()
            getattr(self, method)(data, day, tasks[kind])
            if kind in HOURS:
                self._scenario_backdate(data, self._scenario_datetime(data, day, kind))
            seconds[kind] += time.perf_counter() - started

    def _scenario_history_payments(self, data, day, moves):
        date = self._scenario_date(data, day)
        self._scenario_pay(self.env["account.move"].concat(*moves), date)

    def _scenario_schedule(self, data, day, kind, item):
        """Put ``item`` on the agenda of ``day`` (it stays open if not in the past)."""
        data["agenda"][day][kind].append(item)

    def _scenario_create_purchases(self, data, day, specs):
        """Create and confirm the purchase orders of ``specs`` ordered on ``day``."""
        warehouses = data["warehouses"]
        products = data["products"]
        product_specs = data["product_specs"]
        order_dt = self._scenario_datetime(data, day, "order")
        orders = self.env["purchase.order"]
        for spec in specs:
            warehouse = warehouses[spec["warehouse"]]
            company = warehouse.company_id
            planned = self._scenario_datetime(data, spec["planned_day"], "receipt")
            lines = []
            for product_index, qty in spec["lines"]:
                product = products[product_index]
                if (
                    product_specs[product_index]["po_uom"] == "dozen"
                    and product_specs[product_index]["uom"] == "unit"
                ):
                    qty = -(-qty // 12)
                lines.append(
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "date_planned": planned,
                        }
                    )
                )
            order = (
                self.env["purchase.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": data["suppliers"][spec["supplier"]].id,
                        "company_id": company.id,
                        "currency_id": company.currency_id.id,
                        "picking_type_id": warehouse.in_type_id.id,
                        "date_order": order_dt,
                        "date_planned": planned,
                        "order_line": lines,
                    }
                )
            )
            orders |= order
        return orders

    def _scenario_confirm_purchases(self, orders, order_dt):
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            company_orders.with_company(company).button_confirm()
        orders.write({"date_approve": order_dt, "date_order": order_dt})

    def _scenario_history_purchases(self, data, day, specs):
        orders = self._scenario_create_purchases(data, day, specs)
        self._scenario_confirm_purchases(
            orders, self._scenario_datetime(data, day, "order")
        )
        for order, spec in zip(orders, specs, strict=True):
            self._scenario_schedule(data, spec["receipt_day"], "receipt", (order, spec))

    def _scenario_history_receipts(self, data, day, items):
        date = self._scenario_date(data, day)
        all_pickings = self.env["stock.picking"]
        short = self.env["stock.picking"]
        for order, spec in items:
            pickings = order.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            self._scenario_receive(pickings, date, spec["short"])
            empty = pickings.filtered(lambda p: not any(p.move_ids.mapped("quantity")))
            if empty:
                _logger.warning(
                    "distrib scenario: nothing to receive on %s", empty.mapped("name")
                )
                pickings -= empty
            all_pickings |= pickings
            if spec["short"] < 1.0:
                short |= pickings
        for company in all_pickings.company_id:
            company_pickings = all_pickings.filtered(
                lambda p, c=company: p.company_id == c
            )
            self._scenario_validate(
                company_pickings.with_company(company), date, no_backorder=short
            )
        data["history"]["receipts"] |= all_pickings
        for order, spec in items:
            self._scenario_schedule(data, day + spec["bill_lag"], "bill", (order, spec))

    def _scenario_history_bills(self, data, day, items):
        date = self._scenario_date(data, day)
        orders = self.env["purchase.order"].concat(*(order for order, _spec in items))
        bills = self.env["account.move"]
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            company_orders.with_company(company).action_create_invoice()
            bills |= company_orders.invoice_ids.filtered(lambda m: m.state == "draft")
        if not bills:
            return
        bills.write({"invoice_date": date})
        bills.action_post()
        pay_lag = {order: spec["pay_lag"] for order, spec in items}
        for bill in bills:
            lag = max(
                pay_lag.get(order, 30) for order in bill.line_ids.purchase_order_id
            )
            self._scenario_schedule(data, day + lag, "pay", bill)

    def _scenario_prepare_sale_vals(self, data, spec, day, lines=None):
        warehouse = data["warehouses"][spec["warehouse"]]
        company = warehouse.company_id
        order_dt = self._scenario_datetime(data, day, "order")
        return {
            "partner_id": data["customers"][spec["customer"]].id,
            "company_id": company.id,
            "warehouse_id": warehouse.id,
            "date_order": order_dt,
            "commitment_date": order_dt + timedelta(days=spec["promise_days"]),
            "order_line": [
                Command.create(
                    {
                        "product_id": data["products"][product_index].id,
                        "product_uom_qty": qty,
                    }
                )
                for product_index, qty in (lines or spec["lines"])
            ],
        }

    def _scenario_create_sales(self, data, day, specs, confirm=True):
        orders = self.env["sale.order"]
        for spec in specs:
            company = data["warehouses"][spec["warehouse"]].company_id
            orders |= (
                self.env["sale.order"]
                .with_company(company)
                .create(self._scenario_prepare_sale_vals(data, spec, day))
            )
        if confirm:
            for company in orders.company_id:
                orders.filtered(lambda o, c=company: o.company_id == c).with_company(
                    company
                ).action_confirm()
            orders.write({"date_order": self._scenario_datetime(data, day, "order")})
        return orders

    def _scenario_history_sales(self, data, day, specs):
        orders = self._scenario_create_sales(data, day, specs)
        for order, spec in zip(orders, specs, strict=True):
            self._scenario_schedule(data, spec["ship_day"], "delivery", (order, 0))

    def _scenario_history_deliveries(self, data, day, items):
        """Ship what can be reserved; retry backorders twice, then cancel them."""
        date = self._scenario_date(data, day)
        pickings = self.env["stock.picking"]
        attempts = {}
        for order, attempt in items:
            for picking in order.picking_ids.filtered(
                lambda p: (
                    p.state in ("confirmed", "waiting", "assigned")
                    and p.picking_type_code == "outgoing"
                )
            ):
                pickings |= picking
                attempts[picking] = (order, attempt)
        if not pickings:
            return
        pickings.action_assign()
        ready = self._scenario_pick_reserved(pickings)
        for company in ready.company_id:
            self._scenario_validate(
                ready.filtered(lambda p, c=company: p.company_id == c).with_company(
                    company
                ),
                date,
            )
        data["history"]["deliveries"] |= ready
        for picking in pickings:
            order, attempt = attempts[picking]
            leftover = (picking | picking.backorder_ids).filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            if not leftover:
                continue
            if attempt < 2:
                self._scenario_schedule(data, day + 4, "delivery", (order, attempt + 1))
            else:
                leftover.action_cancel()
        orders = ready.sale_id
        self._scenario_invoice_sales(data, day, orders)

    def _scenario_invoice_sales(self, data, day, orders, pay=True):
        date = self._scenario_date(data, day)
        orders = orders.filtered(lambda o: o.invoice_status == "to invoice")
        invoices = self.env["account.move"]
        for company in orders.company_id:
            invoices |= (
                orders.filtered(lambda o, c=company: o.company_id == c)
                .with_company(company)
                ._create_invoices()
            )
        if not invoices:
            return invoices
        invoices.write({"invoice_date": date})
        invoices.action_post()
        if pay:
            delays = dict(zip(data["customers"], data["customer_specs"], strict=True))
            for invoice in invoices:
                spec = delays.get(invoice.partner_id.commercial_partner_id)
                lag = spec["term_days"] + spec["pay_delay"] if spec else 30
                self._scenario_schedule(data, day + max(lag, 0), "pay", invoice)
        return invoices

    def _scenario_history_transfers(self, data, day, specs):
        date = self._scenario_date(data, day)
        warehouses = data["warehouses"]
        products = data["products"]
        pickings = self.env["stock.picking"]
        for spec in specs:
            source = warehouses[spec["source"]]
            destination = warehouses[spec["destination"]]
            company = source.company_id
            picking = (
                self.env["stock.picking"]
                .with_company(company)
                .create(
                    {
                        "picking_type_id": source.int_type_id.id,
                        "location_id": source.lot_stock_id.id,
                        "location_dest_id": destination.lot_stock_id.id,
                        "company_id": company.id,
                        "origin": f"Rebalancing {source.code} > {destination.code}",
                        "scheduled_date": self._scenario_datetime(
                            data, day, "transfer"
                        ),
                        "move_ids": [
                            Command.create(
                                {
                                    "name": products[product_index].display_name,
                                    "product_id": products[product_index].id,
                                    "product_uom_qty": qty,
                                    "product_uom": products[product_index].uom_id.id,
                                    "location_id": source.lot_stock_id.id,
                                    "location_dest_id": destination.lot_stock_id.id,
                                    "company_id": company.id,
                                }
                            )
                            for product_index, qty in spec["lines"]
                        ],
                    }
                )
            )
            pickings |= picking
        pickings.action_confirm()
        pickings.action_assign()
        ready = self._scenario_pick_reserved(pickings)
        (pickings - ready).action_cancel()
        for company in ready.company_id:
            company_ready = ready.filtered(lambda p, c=company: p.company_id == c)
            self._scenario_validate(
                company_ready.with_company(company), date, no_backorder=company_ready
            )
        data["history"]["transfers"] |= ready

    def _scenario_history_counts(self, data, day, specs):
        date = self._scenario_date(data, day)
        warehouses = data["warehouses"]
        products = data["products"]
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        for company in data["companies"]:
            counted = Quant
            for spec in specs:
                warehouse = warehouses[spec["warehouse"]]
                if warehouse.company_id != company:
                    continue
                for product_index, delta in spec["lines"]:
                    quant = Quant.search(
                        [
                            ("product_id", "=", products[product_index].id),
                            ("location_id", "=", warehouse.lot_stock_id.id),
                            ("quantity", ">", 0),
                        ],
                        order="id",
                        limit=1,
                    )
                    if not quant:
                        continue
                    quant.write(
                        {
                            "inventory_quantity": max(0.0, quant.quantity + delta),
                            "accounting_date": date,
                        }
                    )
                    counted |= quant
            if counted:
                result = (
                    counted.with_company(company)
                    .with_context(inventory_name=f"Cycle count {date}")
                    .action_apply_inventory()
                )
                if isinstance(result, dict):
                    raise UserError(
                        self.env._(
                            "The cycle count of %(date)s needs a wizard.", date=date
                        )
                    )

    # ------------------------------------------------------------------
    # open documents at every stage
    # ------------------------------------------------------------------
    def _scenario_free_stock(self, warehouse):
        groups = self.env["stock.quant"]._read_group(
            [("location_id", "=", warehouse.lot_stock_id.id)],
            groupby=["product_id"],
            aggregates=["quantity:sum", "reserved_quantity:sum"],
        )
        return {product: qty - reserved for product, qty, reserved in groups}

    def _scenario_open_orders(self, data):
        rng = data["rng"]
        horizon = data["horizon"]
        products = data["products"]
        index_of = {product: index for index, product in enumerate(products)}
        sale_stages = defaultdict(lambda: self.env["sale.order"])
        purchase_stages = defaultdict(lambda: self.env["purchase.order"])
        customer_indexes = defaultdict(list)
        for index, spec in enumerate(data["customer_specs"]):
            customer_indexes[spec["company"]].append(index)
        for wh_index, warehouse in enumerate(data["warehouses"]):
            company_index = wh_index // 2
            main = wh_index % 2 == 0
            free = self._scenario_free_stock(warehouse)
            in_stock = sorted(
                (index_of[p] for p, qty in free.items() if qty >= 8 and p in index_of)
            )
            out_of_stock = [i for i in range(len(products)) if products[i] not in free]
            rng.shuffle(in_stock)
            buyers = customer_indexes[company_index]

            def take(count, pool=in_stock, divisor=6, free_qty=free):
                lines = []
                for _i in range(count):
                    if not pool:
                        break
                    product_index = pool.pop()
                    available = free_qty.get(products[product_index], 0)
                    lines.append(
                        (
                            product_index,
                            max(1, int(available // divisor)) if available else 10,
                        )
                    )
                return lines

            stages = (
                [
                    "draft",
                    "draft",
                    "sent",
                    "waiting",
                    "ready",
                    "ready",
                    "partial",
                    "delivered",
                    "invoiced",
                ]
                if main
                else ["draft", "waiting", "ready", "partial"]
            )
            for position, stage in enumerate(stages):
                day = horizon - rng.randint(1, 6)
                if stage == "waiting":
                    lines = [
                        (i, rng.randint(5, 30)) for i in rng.sample(out_of_stock, 2)
                    ]
                else:
                    # partial deliveries ship half: order enough to split
                    lines = take(
                        rng.randint(2, 4), divisor=3 if stage == "partial" else 6
                    )
                if not lines:
                    continue
                spec = {
                    "warehouse": wh_index,
                    "customer": buyers[(position * 7 + wh_index) % len(buyers)],
                    "lines": lines,
                    "promise_days": rng.randint(3, 8),
                }
                order = self._scenario_create_sales(
                    data, day, [spec], confirm=stage not in ("draft", "sent")
                )
                if stage == "sent":
                    order.action_quotation_sent()
                elif stage in ("partial", "delivered", "invoiced"):
                    ship_day = min(day + 1, horizon - 1)
                    ship_date = self._scenario_date(data, ship_day)
                    pickings = order.picking_ids.filtered(
                        lambda p: p.state not in ("done", "cancel")
                    )
                    pickings.action_assign()
                    if stage == "partial":
                        for move in pickings.move_ids:
                            move.quantity = float_round(
                                move.quantity / 2,
                                precision_rounding=move.product_uom.rounding,
                            )
                    ready = self._scenario_pick_reserved(pickings)
                    self._scenario_validate(
                        ready.with_company(order.company_id), ship_date
                    )
                    self._scenario_backdate(
                        data, self._scenario_datetime(data, ship_day, "delivery")
                    )
                    if stage == "invoiced":
                        self._scenario_invoice_sales(data, ship_day, order, pay=False)
                sale_stages[stage] |= order

            if not main:
                continue
            # purchases of the main warehouse at every stage
            company = warehouse.company_id
            supplier_of = {}
            for product_index in in_stock + out_of_stock:
                supplier_of.setdefault(
                    data["product_specs"][product_index]["supplier"], []
                ).append(product_index)
            supplier_ids = sorted(supplier_of, key=lambda s: (-len(supplier_of[s]), s))
            purchase_plan = [
                ("rfq", -2, 10),
                ("rfq_sent", -3, 12),
                ("confirmed", -4, 12),
                ("late", -20, 10),
                ("partial", -12, 4),
                ("received", -9, 3),
            ]
            for position, (stage, offset, lead) in enumerate(purchase_plan):
                supplier_index = supplier_ids[position % len(supplier_ids)]
                lines = [
                    (product_index, rng.randint(20, 120))
                    for product_index in supplier_of[supplier_index][:4]
                ]
                spec = {
                    "warehouse": wh_index,
                    "supplier": supplier_index,
                    "lines": lines,
                    "planned_day": horizon + offset + lead,
                }
                day = horizon + offset
                order = self._scenario_create_purchases(data, day, [spec])
                if stage == "rfq_sent":
                    order.write({"state": "sent"})
                elif stage != "rfq":
                    self._scenario_confirm_purchases(
                        order, self._scenario_datetime(data, day, "order")
                    )
                if stage in ("partial", "received"):
                    receipt_day = min(spec["planned_day"], horizon - 1)
                    receipt_date = self._scenario_date(data, receipt_day)
                    pickings = order.picking_ids.filtered(
                        lambda p: p.state not in ("done", "cancel")
                    )
                    self._scenario_receive(
                        pickings, receipt_date, 0.5 if stage == "partial" else 1.0
                    )
                    self._scenario_validate(
                        pickings.with_company(company), receipt_date
                    )
                    self._scenario_backdate(
                        data, self._scenario_datetime(data, receipt_day, "receipt")
                    )
                purchase_stages[stage] |= order
        data["sale_order_stages"] = dict(sale_stages)
        data["purchase_order_stages"] = dict(purchase_stages)
        data["sale_orders"] = self.env["sale.order"].concat(*sale_stages.values())
        data["purchase_orders"] = self.env["purchase.order"].concat(
            *purchase_stages.values()
        )

    def _scenario_layer_dates(self, data):
        """Date the valuation layers like their stock moves.

        ``create_date`` cannot be written through the ORM; the stock valuation at a
        past date reads it, so the demo history must carry the business date.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_valuation_layer AS layer
                   SET create_date = move.date
                  FROM stock_move AS move
                 WHERE layer.stock_move_id = move.id
                   AND layer.create_date >= %s
                   AND move.date < %s
                """,
                data["started_at"],
                data["started_at"],
            )
        )
        self.env["stock.valuation.layer"].invalidate_model(["create_date"])
        # purchase orders were drafted on their business date, a day or two
        # before their approval (purchase's dashboard averages date_approve -
        # create_date: a build-time create_date makes it months negative)
        companies = [company.id for company in data["companies"]]
        self.env.cr.execute(
            SQL(
                """
                UPDATE purchase_order
                   SET create_date = date_order - make_interval(days => MOD(id, 3))
                 WHERE company_id IN %s AND date_order < create_date
                """,
                tuple(companies),
            )
        )
        self.env["purchase.order"].invalidate_model(["create_date"])

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------
    def _scenario_counts(self, data):
        companies = self.env["res.company"].concat(*data["companies"])
        company_domain = [("company_id", "in", companies.ids)]
        env = self.env
        history = data["history"]
        late_receipts = history["receipts"].filtered(
            lambda p: (
                p.date_done and p.scheduled_date and p.date_done > p.scheduled_date
            )
        )
        sale_orders = env["sale.order"].search(company_domain)
        purchase_orders = env["purchase.order"].search(company_domain)
        return {
            "companies": len(companies),
            "warehouses": len(data["warehouses"]),
            "products": len(data["products"]),
            "lot_tracked_products": len(
                data["products"].filtered(lambda p: p.tracking == "lot")
            ),
            "categories": len(data["categories"]),
            "customers": len(data["customers"]),
            "suppliers": len(data["suppliers"]),
            "segments": len(data["segments"]),
            "contract_pricelists": len(data["contract_pricelists"]),
            "users": len(data["users"]),
            "sale_orders": len(sale_orders),
            "sale_orders_open": len(data["sale_orders"]),
            "purchase_orders": len(purchase_orders),
            "purchase_orders_open": len(data["purchase_orders"]),
            "customer_invoices": env["account.move"].search_count(
                [
                    *company_domain,
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ]
            ),
            "vendor_bills": env["account.move"].search_count(
                [
                    *company_domain,
                    ("move_type", "=", "in_invoice"),
                    ("state", "=", "posted"),
                ]
            ),
            "payments": env["account.payment"].search_count(
                [*company_domain, ("state", "!=", "draft")]
            ),
            "receipts_done": len(
                history["receipts"].filtered(lambda p: p.state == "done")
            ),
            "late_receipts": len(late_receipts),
            "deliveries_done": len(
                history["deliveries"].filtered(lambda p: p.state == "done")
            ),
            "transfers_done": len(
                history["transfers"].filtered(lambda p: p.state == "done")
            ),
            "inventory_adjustment_moves": env["stock.move"].search_count(
                [*company_domain, ("is_inventory", "=", True), ("state", "=", "done")]
            ),
            "valuation_layers": env["stock.valuation.layer"].search_count(
                company_domain
            ),
        }
