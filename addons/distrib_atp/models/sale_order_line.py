import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..rpc import check_vals

ATP_STATES = [
    ("available", "Available"),
    ("partial", "Partial"),
    ("short", "Short"),
]
# where a line is sourced: its own stock, or the sourcing option applied to it
# (distrib_intercompany adds "company")
SOURCE_KINDS = [
    ("stock", "Own warehouse"),
    ("warehouse", "Other warehouse"),
    ("substitute", "Substitute"),
    ("split", "Split: ship now"),
    ("backorder", "Split: backorder"),
]


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "distrib.workflow.mixin"]

    distrib_atp_state = fields.Selection(
        ATP_STATES,
        string="Availability",
        compute="_compute_distrib_atp",
        help="Whether the line can be promised from its warehouse by the requested "
        "date: available, partial (some units) or short (none).",
    )
    distrib_atp_qty = fields.Float(
        string="Promisable",
        compute="_compute_distrib_atp",
        help="Quantity of the line's warehouse that can be promised for the "
        "requested date, after the previous lines of the order (in the line's unit).",
    )
    distrib_atp_date = fields.Date(
        string="Available On",
        compute="_compute_distrib_atp",
        help="First date when the whole quantity of the line can be promised from "
        "its warehouse (empty: no receipt planned covers it).",
    )
    distrib_promised_date = fields.Date(
        string="Promised Date",
        copy=False,
        help="Date promised to the customer, from the chosen source.",
    )
    distrib_promised_qty = fields.Float(
        string="Promised Quantity",
        copy=False,
        digits="Product Unit of Measure",
        help="Quantity promised from free stock when the order was confirmed.",
    )
    distrib_backorder_qty = fields.Float(
        string="Backordered Quantity",
        copy=False,
        digits="Product Unit of Measure",
        help="Quantity that could not be promised from free stock at confirmation; "
        "it ships on the promised date.",
    )
    distrib_source_kind = fields.Selection(
        SOURCE_KINDS, string="Source", copy=False, help="Where the line is sourced."
    )
    distrib_source_warehouse_id = fields.Many2one(
        "stock.warehouse", string="Source Warehouse", copy=False
    )
    distrib_source_warehouse_name = fields.Char(
        string="Ships From",
        compute="_compute_distrib_source_warehouse_name",
        help="Warehouse the line is sourced from (another company's warehouse "
        "included: its name only).",
    )
    distrib_substituted_product_id = fields.Many2one(
        "product.product",
        string="Substitute For",
        copy=False,
        help="Product ordered first, replaced by an approved substitute.",
    )
    distrib_sourcing_option_ids = fields.One2many(
        "distrib.sourcing.option", "line_id", string="Sourcing Options"
    )

    @api.depends(
        "product_id",
        "product_uom_qty",
        "product_uom",
        "warehouse_id",
        "customer_lead",
        "state",
        "order_id.commitment_date",
        "order_id.date_order",
        "distrib_source_kind",
        "distrib_source_warehouse_id",
        "distrib_promised_date",
    )
    def _compute_distrib_atp(self):
        """One engine call for all the lines, whatever their orders."""
        lines = self._distrib_atp_lines()
        (self - lines).update(
            {
                "distrib_atp_state": False,
                "distrib_atp_qty": 0.0,
                "distrib_atp_date": False,
            }
        )
        if not lines:
            return
        # assign by value: one cache update per distinct value, not per line
        by_state, by_date, by_qty = (
            defaultdict(list),
            defaultdict(list),
            defaultdict(list),
        )
        for line, (state, promisable, next_date) in lines._distrib_atp_check().items():
            by_state[state].append(line.id)
            by_date[next_date].append(line.id)
            by_qty[max(promisable, 0.0)].append(line.id)
        for field_name, groups in (
            ("distrib_atp_state", by_state),
            ("distrib_atp_date", by_date),
            ("distrib_atp_qty", by_qty),
        ):
            for value, ids in groups.items():
                lines.browse(ids)[field_name] = value

    @api.depends("route_id.distrib_ship_from_warehouse_id")
    def _compute_warehouse_id(self):
        """A line on a "ship from" route (an applied "other warehouse" option)
        leaves from that route's warehouse. sale_stock finds the warehouse from a
        route rule delivering to the customer's own location, one search per
        line, and falls back to the order's warehouse when the customer has a
        location of its own: the goods would leave from a warehouse other than
        the one promised."""
        ship_from = self.filtered(
            lambda line: line.route_id.distrib_ship_from_warehouse_id
        )
        for line in ship_from:
            line.warehouse_id = line.route_id.distrib_ship_from_warehouse_id
        return super(SaleOrderLine, self - ship_from)._compute_warehouse_id()

    @api.depends("distrib_source_warehouse_id")
    def _compute_distrib_source_warehouse_name(self):
        for line in self:
            line.distrib_source_warehouse_name = (
                line.distrib_source_warehouse_id.sudo().display_name or False
            )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, vals)
        return super().write(vals)

    @api.model
    def _distrib_workflow_fields(self):
        """The promise and the source: set by confirmation and by applying a
        sourcing option, never by a client."""
        return super()._distrib_workflow_fields() | {
            "distrib_promised_date",
            "distrib_promised_qty",
            "distrib_backorder_qty",
            "distrib_source_kind",
            "distrib_source_warehouse_id",
            "distrib_substituted_product_id",
        }

    def _distrib_atp_lines(self):
        """Lines that need stock: storable product, quantity, not confirmed yet."""
        return self.filtered(
            lambda line: (
                line.state in ("draft", "sent")
                and not line.display_type
                and line.product_id.is_storable
                and line.warehouse_id
                and line.product_uom_qty > 0
            )
        )

    def _distrib_requested_date(self):
        self.ensure_one()
        requested = self.order_id.commitment_date or self._expected_date()
        return fields.Date.to_date(requested) if requested else None

    def _distrib_promise_warehouse(self):
        """The warehouse the line is promised from: where its goods leave.

        The line's warehouse (which follows the route of an "other warehouse"
        option); distrib_intercompany returns the supplying company's warehouse
        for a line sourced from another company. The confirmation locks and
        checks this warehouse, and the indicator shows it. Extension point.
        """
        self.ensure_one()
        return self.warehouse_id

    def _distrib_target_date(self, today):
        """The day the line must be promisable on: the requested date, or the
        promise date of the sourcing option applied to it when later (the
        salesperson chose that source for that date)."""
        self.ensure_one()
        requested = max(self._distrib_requested_date() or today, today)
        if self.distrib_source_kind not in (False, "stock") and (
            self.distrib_promised_date
        ):
            return max(requested, self.distrib_promised_date)
        return requested

    def _distrib_need(self):
        """Quantity of the line in the product's unit of measure."""
        self.ensure_one()
        if self.product_uom == self.product_id.uom_id:
            return self.product_uom_qty
        # not rounded: 8 Units are 0.666... Dozen, and back 8 Units
        return self.product_uom._compute_quantity(
            self.product_uom_qty, self.product_id.uom_id, round=False
        )

    def _distrib_to_line_uom(self, quantity):
        self.ensure_one()
        if self.product_uom == self.product_id.uom_id:
            return quantity
        return self.product_id.uom_id._compute_quantity(
            quantity, self.product_uom, rounding_method="HALF-UP"
        )

    def _distrib_atp_check(self, projections=None):
        """{line: (state, promisable, next available date)} in the line's unit.

        Lines of one order that sell the same product from the same warehouse
        consume the stock in their order: the second line only gets what the first
        one leaves.
        """
        # every line of the same orders counts, also those not in self (a line
        # edited alone in the form still comes after the lines above it)
        scope = self.order_id.order_line._distrib_atp_lines()
        in_scope = set(scope._ids)
        scope = list(scope) + [line for line in self if line.id not in in_scope]
        scope.sort(key=lambda line: (line.order_id._origin.id or 0, line.sequence))
        warehouse_of = {line: line._distrib_promise_warehouse().id for line in scope}
        if projections is None:
            lines = self.browse().union(*scope)
            products = lines.product_id
            projections = self.env["distrib.atp"]._distrib_projections(
                products.ids,
                list(set(warehouse_of.values())),
                roundings={product.id: product.uom_id.rounding for product in products},
            )
        today = fields.Date.context_today(self)
        consumed = defaultdict(float)
        result = {}
        wanted = set(self._ids)
        for line in scope:
            product = line.product_id
            warehouse_id = warehouse_of[line]
            projection = projections[product.id, warehouse_id]
            need = line._distrib_need()
            key = (line.order_id, product.id, warehouse_id)
            before = consumed[key]
            consumed[key] += need
            requested = line._distrib_target_date(today)
            available = projection.promisable(requested) - before
            # float_compare at the unit's rounding, without its cost per line
            tolerance = projection.rounding / 2.0
            if available - need > -tolerance:
                state = "available"
            elif available > tolerance:
                state = "partial"
            else:
                state = "short"
            if line.id not in wanted:
                continue
            next_date = projection.next_available_date(before + need, today)
            result[line] = (
                state,
                line._distrib_to_line_uom(min(available, need)),
                next_date,
            )
        return result

    # ------------------------------------------------------------------
    # popover
    # ------------------------------------------------------------------
    @api.model
    @api.readonly
    def distrib_get_availability_breakdown(
        self, product_id=None, quantity=None, uom_id=None, date=None, warehouse_id=None
    ):
        """The engine's figures for one line, for every warehouse the user may see.

        Called by the availability popover of the order lines (also for lines not
        saved yet, hence the values rather than a line id). Quantities are in the
        product's unit of measure.
        """
        Atp = self.env["distrib.atp"]
        ids = Atp._distrib_as_ids(product_id, self.env._("Product id"))
        product = self.env["product.product"].browse(ids[:1]).exists()
        if len(ids) != 1 or not product:
            raise UserError(
                self.env._(
                    "Unknown product id: %(id)s.",
                    id=Atp._distrib_short_repr(product_id),
                )
            )
        uom = product.uom_id
        if uom_id not in (None, False):
            ids = Atp._distrib_as_ids(uom_id, self.env._("Unit of measure id"))
            uom = self.env["uom.uom"].browse(ids[:1]).exists()
            if len(ids) != 1 or not uom:
                raise UserError(
                    self.env._(
                        "Unknown unit of measure id: %(id)s.",
                        id=Atp._distrib_short_repr(uom_id),
                    )
                )
            if uom.category_id != product.uom_id.category_id:
                raise UserError(
                    self.env._(
                        "%(product)s is counted in %(product_uom)s: %(uom)s is not "
                        "a unit of that kind.",
                        product=product.display_name,
                        product_uom=product.uom_id.name,
                        uom=uom.name,
                    )
                )
        if warehouse_id not in (None, False):
            Atp._distrib_as_ids(warehouse_id, self.env._("Warehouse id"))
        need = None
        if quantity not in (None, False, 0):
            # checked as the engine checks a quantity, then converted
            quantity = Atp._distrib_check_quantities([product.id], quantity)[product.id]
            need = uom._compute_quantity(quantity, product.uom_id)
        rows = Atp.get_availability([product.id], date=date or None, quantity=need)
        warehouses = (
            self.env["stock.warehouse"]
            .sudo()
            .browse([row["warehouse_id"] for row in rows])
        )
        names = {wh.id: (wh.name, wh.company_id.name) for wh in warehouses}
        for row in rows:
            row["warehouse_name"], row["company_name"] = names[row["warehouse_id"]]
            row["is_line_warehouse"] = row["warehouse_id"] == warehouse_id
        rows.sort(
            key=lambda row: (
                not row["is_line_warehouse"],
                row["shared"],
                row["company_name"],
                row["warehouse_name"],
            )
        )
        return {
            "product": product.display_name,
            "uom": product.uom_id.name,
            "quantity": need,
            "rows": rows,
        }

    # ------------------------------------------------------------------
    # sourcing options
    # ------------------------------------------------------------------
    def _distrib_sourcing_options(self):
        """Ranked sourcing options of the short lines, as values of options.

        One engine pass for all the lines, their substitutes and every warehouse
        the user may see.
        """
        lines = self._distrib_atp_lines()
        if not lines:
            return []
        Atp = self.env["distrib.atp"]
        warehouses = Atp._distrib_visible_warehouses()
        substitutes = lines.product_id.product_tmpl_id.distrib_substitute_ids
        # the other lines of the orders consume stock before or after these ones
        scope = lines | lines.order_id.order_line._distrib_atp_lines()
        products = scope.product_id | substitutes.substitute_product_id
        sources = {line._distrib_promise_warehouse().id for line in scope}
        projections = Atp._distrib_projections(
            products.ids, list(set((warehouses | scope.warehouse_id).ids) | sources)
        )
        checks = lines._distrib_atp_check(projections)
        today = fields.Date.context_today(self)
        kinds = self._distrib_sourcing_option_kinds()
        options = []
        for line, (state, promisable, next_date) in checks.items():
            if state == "available":
                continue
            context = {
                "projections": projections,
                "warehouses": warehouses,
                "today": today,
                "promisable": promisable,
                "next_date": next_date,
            }
            line_options = []
            for kind in kinds:
                line_options += getattr(line, f"_distrib_{kind}_options")(context)
            far = datetime.date.max
            line_options.sort(
                key=lambda vals: (
                    vals.get("promise_date") or far,
                    vals.get("customer_accept_required", False),
                    -vals.get("margin_impact", 0.0),
                )
            )
            for rank, vals in enumerate(line_options, start=1):
                vals.update(rank=rank, line_id=line.id, order_id=line.order_id.id)
            options += line_options
        return options

    @api.model
    def _distrib_sourcing_option_kinds(self):
        """The kinds of sourcing options, in their selection order: each
        ``<kind>`` offers its options by ``_distrib_<kind>_options(context)``
        (``context``: the engine's ``projections``, the visible ``warehouses``,
        ``today``, the line's ``promisable`` quantity and ``next_date``) and
        applies one by ``_distrib_apply_<kind>_option(option)``."""
        field = self.env["distrib.sourcing.option"]._fields["kind"]
        return field.get_values(self.env)

    def _distrib_unit_cost(self, product=None, company=None):
        """Cost of one unit in ``company`` (the line's by default).

        Another company's cost is one of the figures it shares with the group
        (the base of its intercompany price): read as such (sudo), never by
        switching the user into a company they do not work in.
        """
        self.ensure_one()
        product = product or self.product_id
        company = company or self.company_id
        if company not in self.env.companies:
            product = product.sudo()
        return product.with_company(company).standard_price

    def _distrib_option_date(self, lead_days, today):
        requested = self._distrib_requested_date() or today
        return max(requested, today + datetime.timedelta(days=lead_days))

    def _distrib_warehouse_options(self, context):
        """Ship from another warehouse of the same company."""
        self.ensure_one()
        company = self.company_id
        need = self._distrib_need()
        unit_cost = self._distrib_unit_cost()
        days = company.distrib_transfer_days
        options = []
        source = self._distrib_promise_warehouse()
        for warehouse in context["warehouses"]:
            if warehouse in (self.warehouse_id, source) or (
                warehouse.company_id != company
            ):
                continue
            projection = context["projections"][self.product_id.id, warehouse.id]
            date = self._distrib_option_date(days, context["today"])
            if projection.promisable(date) < need:
                continue
            extra = need * unit_cost * company.distrib_transfer_cost_percent / 100.0
            options.append(
                {
                    "kind": "warehouse",
                    "warehouse_id": warehouse.id,
                    "company_id": company.id,
                    "product_id": self.product_id.id,
                    "quantity": self.product_uom_qty,
                    "lead_days": days,
                    "promise_date": date,
                    "cost": need * unit_cost + extra,
                    "margin_impact": -extra,
                }
            )
        return options

    def _distrib_substitute_options(self, context):
        """Approved substitutes with enough stock in the line's warehouse."""
        self.ensure_one()
        need = self._distrib_need()
        own_cost = self._distrib_unit_cost()
        partner = self.order_id.partner_id
        options = []
        for substitute in self.product_id.product_tmpl_id.distrib_substitute_ids:
            product = substitute.substitute_product_id
            if not substitute._distrib_applies(need, partner):
                continue
            key = (product.id, self.warehouse_id.id)
            quantity = self.product_id.uom_id._compute_quantity(need, product.uom_id)
            date = self._distrib_option_date(0, context["today"])
            if context["projections"][key].promisable(date) < quantity:
                continue
            cost = quantity * self._distrib_unit_cost(product=product)
            options.append(
                {
                    "kind": "substitute",
                    "warehouse_id": self.warehouse_id.id,
                    "company_id": self.company_id.id,
                    "product_id": product.id,
                    "substitute_id": substitute.id,
                    "quantity": self.product_uom_qty,
                    "lead_days": 0,
                    "promise_date": date,
                    "cost": cost,
                    "margin_impact": need * own_cost - cost,
                    "customer_accept_required": substitute.customer_accept_required,
                }
            )
        return options

    def _distrib_split_options(self, context):
        """Ship what is free now, backorder the rest until its promise date."""
        self.ensure_one()
        promisable = context["promisable"]
        if (
            float_compare(promisable, 0.0, precision_rounding=self.product_uom.rounding)
            <= 0
        ):
            return []
        need = self._distrib_need()
        next_date = context["next_date"]
        return [
            {
                "kind": "split",
                "warehouse_id": self.warehouse_id.id,
                "company_id": self.company_id.id,
                "product_id": self.product_id.id,
                "quantity": promisable,
                "backorder_qty": self.product_uom_qty - promisable,
                "lead_days": (next_date - context["today"]).days if next_date else 0,
                "promise_date": next_date,
                "cost": need * self._distrib_unit_cost(),
                "margin_impact": 0.0,
            }
        ]

    # ------------------------------------------------------------------
    # applying an option
    # ------------------------------------------------------------------
    def _distrib_check_editable(self):
        for line in self:
            if line.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "Line %(line)s of %(order)s is confirmed: its source can "
                        "no longer change.",
                        line=line.product_id.display_name,
                        order=line.order_id.name,
                    )
                )

    def _distrib_apply_warehouse_option(self, option):
        self.ensure_one()
        route = option.warehouse_id._distrib_get_ship_from_route()
        self.write(
            {
                "route_id": route.id,
                "distrib_source_kind": "warehouse",
                "distrib_source_warehouse_id": option.warehouse_id.id,
                "distrib_promised_date": option.promise_date,
            }
        )

    def _distrib_apply_substitute_option(self, option):
        self.ensure_one()
        original = self.product_id
        uom = self.product_uom
        if uom.category_id != option.product_id.uom_id.category_id:
            raise UserError(
                self.env._(
                    "%(substitute)s is counted in %(substitute_uom)s: it cannot "
                    "replace %(qty)s %(uom)s of %(product)s.",
                    substitute=option.product_id.display_name,
                    substitute_uom=option.product_id.uom_id.name,
                    qty=self.product_uom_qty,
                    uom=uom.name,
                    product=original.display_name,
                )
            )
        self.write(
            {
                "product_id": option.product_id.id,
                # the same quantity in the line's unit (of the same kind as the
                # substitute's, which the engine converts to)
                "product_uom": uom.id,
                "product_uom_qty": self.product_uom_qty,
                "price_unit": self.price_unit,
                "distrib_source_kind": "substitute",
                "distrib_substituted_product_id": original.id,
                "distrib_source_warehouse_id": self.warehouse_id.id,
                "distrib_promised_date": option.promise_date,
            }
        )
        order = self.order_id
        body = self.env._(
            "%(substitute)s replaces %(product)s (approved substitute).",
            substitute=option.product_id.display_name,
            product=original.display_name,
        )
        order.message_post(body=body)
        if option.customer_accept_required:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=order.user_id.id or self.env.uid,
                summary=self.env._("Get the customer's approval of a substitute"),
                note=body,
            )

    def _distrib_apply_split_option(self, option):
        self.ensure_one()
        rest = self.product_uom_qty - option.quantity
        if float_compare(rest, 0.0, precision_rounding=self.product_uom.rounding) <= 0:
            raise UserError(
                self.env._(
                    "Nothing is left to backorder on %(product)s.",
                    product=self.product_id.display_name,
                )
            )
        today = fields.Date.context_today(self)
        self.copy(
            {
                "order_id": self.order_id.id,
                "product_uom_qty": rest,
                "price_unit": self.price_unit,
                "discount": self.discount,
                "sequence": self.sequence,
                "distrib_source_kind": "backorder",
                "distrib_promised_date": option.promise_date,
            }
        )
        self.write(
            {
                "product_uom_qty": option.quantity,
                "distrib_source_kind": "split",
                "distrib_source_warehouse_id": self.warehouse_id.id,
                "distrib_promised_date": self._distrib_option_date(0, today),
            }
        )
        self.order_id.picking_policy = "direct"
