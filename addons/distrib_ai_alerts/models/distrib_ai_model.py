import logging
import math
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..scoring import DETECTORS as REGISTRY
from ..scoring import explain

_logger = logging.getLogger(__name__)

# the detectors registered in scoring/ (a new detector: its spec there, and its
# ``_fetch_<name>`` method here)
DETECTORS = [(spec.name, spec.label) for spec in REGISTRY.values()]
HISTORY_DAYS = 730
# days of shipments a warehouse's capacity is measured on
CAPACITY_DAYS = 60
PENDING_MOVE_STATES = ("confirmed", "waiting", "partially_available", "assigned")


class DistribAiModel(models.Model):
    """The trained parameters of one detector for one company (JSON), and the
    scoring watermark: only records created after it are scored."""

    _name = "distrib.ai.model"
    _description = "Alert Detector Model"
    _order = "company_id, detector"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True)
    detector = fields.Selection(DETECTORS, required=True)
    params = fields.Json(string="Parameters", readonly=True)
    sample_count = fields.Integer(string="Training Records", readonly=True)
    date_trained = fields.Datetime(readonly=True)
    last_scored_id = fields.Integer(
        string="Scoring Watermark",
        readonly=True,
        help="Records with a larger id are scored by the next run.",
    )
    date_scored = fields.Datetime(readonly=True)
    alert_count = fields.Integer(compute="_compute_alert_count")

    _sql_constraints = [
        (
            "company_detector_uniq",
            "unique(company_id, detector)",
            "One model per company and detector.",
        )
    ]

    def _compute_alert_count(self):
        counts = {
            (company.id, detector): count
            for company, detector, count in self.env["distrib.ai.alert"]._read_group(
                [("company_id", "in", self.company_id.ids), ("state", "=", "open")],
                groupby=["company_id", "detector"],
                aggregates=["__count"],
            )
        }
        for model in self:
            model.alert_count = counts.get((model.company_id.id, model.detector), 0)

    # ------------------------------------------------------------------
    # actions and crons
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not (
            self.env.su or self.env.user.has_group("distrib_atp.group_distrib_manager")
        ):
            raise AccessError(
                self.env._("Only distribution managers can train or run detectors.")
            )

    @distrib_rpc()
    def action_train(self):
        self._check_manager()
        self.check_access("read")
        for model in self:
            model.sudo()._train()
        return True

    @distrib_rpc()
    def action_score(self):
        self._check_manager()
        self.check_access("read")
        for model in self:
            model.sudo()._score()
        return True

    @api.model
    @distrib_rpc()
    def action_run_company(self, company=None):
        """Train the enabled detectors of ``company`` (a company or its id) that
        have no model yet and score them, on demand. Returns ``{detector: number
        of alerts raised or refreshed}``."""
        self._check_manager()
        if type(company) is int and company > 0:
            company = self.env["res.company"].browse(company)
        if not (
            isinstance(company, models.BaseModel)
            and company._name == "res.company"
            and len(company) == 1
            and company.exists()
        ):
            raise UserError(
                self.env._(
                    "%(value)r is not a company: give the id of one of your companies.",
                    value=company,
                )
            )
        if company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot run the detectors of %(company)s.",
                    company=company.name,
                )
            )
        result = {}
        for detector in company._distrib_ai_enabled_detectors():
            model = self.sudo()._get_model(company, detector)
            if not model.date_trained:
                model._train()
            result[detector] = len(model._score())
        return result

    @api.model
    def _cron_train(self):
        self._cron_run("_train")

    @api.model
    def _cron_score(self):
        self._cron_run("_score")

    @api.model
    def _cron_run(self, method):
        companies = self.env["res.company"].search([])
        for company in companies:
            for detector in company._distrib_ai_enabled_detectors():
                try:
                    with self.env.cr.savepoint():
                        model = self._get_model(company, detector)
                        if method == "_score" and not model.date_trained:
                            model._train()
                        getattr(model, method)()
                except Exception:
                    _logger.exception(
                        "distrib_ai_alerts: %s of %s for %s failed",
                        method,
                        detector,
                        company.name,
                    )

    @api.model
    def _get_model(self, company, detector):
        """The model of ``detector`` for ``company``, created when missing.
        Internal: callers run as superuser (crons) or checked the manager
        group first."""
        Model = self.sudo()
        model = Model.search(
            [("company_id", "=", company.id), ("detector", "=", detector)], limit=1
        )
        return model or Model.create({"company_id": company.id, "detector": detector})

    # ------------------------------------------------------------------
    # training and scoring
    # ------------------------------------------------------------------
    def _spec(self):
        """The detector's spec, as registered in ``scoring``."""
        self.ensure_one()
        return REGISTRY[self.detector]

    def _fetch(self, since_id=0, train=False):
        """The detector's data: ``_fetch_<detector>(since_id, train)``, the
        history it learns from when ``train``, else the records to score."""
        self.ensure_one()
        method = getattr(self.with_company(self.company_id), f"_fetch_{self.detector}")
        return method(since_id=since_id, train=train)

    def _train(self):
        self.ensure_one()
        spec = self._spec()
        history = self._fetch(train=True)
        vals = {
            "params": spec.fit(history),
            "sample_count": spec.size(history),
            "date_trained": fields.Datetime.now(),
        }
        if not self.last_scored_id and not spec.rescore_open:
            # start scoring after the history the model learnt from
            vals["last_scored_id"] = self._max_source_id()
        self.write(vals)

    def _threshold(self):
        spec = self._spec()
        threshold = spec.threshold * (self.company_id.distrib_ai_sensitivity or 1.0)
        if spec.max_threshold is not None:
            return min(threshold, spec.max_threshold)
        return threshold

    def _score(self):
        """Score the new records (the open order lines for the late-order risk)
        and raise their alerts. Returns the alerts raised or refreshed."""
        self.ensure_one()
        spec = self._spec()
        if self.params and self.params.get("version", 1) < spec.version:
            # parameters of an older version of the detector: relearn them
            self._train()
        if not self.params:
            raise UserError(
                self.env._(
                    "Train the %(detector)s model of %(company)s before scoring.",
                    detector=dict(DETECTORS)[self.detector],
                    company=self.company_id.name,
                )
            )
        model = self.with_company(self.company_id)
        columns = self._fetch(since_id=self.last_scored_id)
        found = spec.score(self.params, columns, threshold=self._threshold())
        alerts = model._raise_alerts(columns, found)
        vals = {"date_scored": fields.Datetime.now()}
        if not spec.rescore_open and len(columns["id"]):
            vals["last_scored_id"] = max(
                self.last_scored_id, int(np.max(columns["id"]))
            )
        self.write(vals)
        return alerts

    def _max_source_id(self):
        table = self.env[self._spec().source_model]._table
        self.env.cr.execute(
            SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table))
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # raising alerts and exceptions
    # ------------------------------------------------------------------
    def _raise_alerts(self, columns, found):
        self.ensure_one()
        company = self.company_id
        spec = self._spec()
        Alert = self.env["distrib.ai.alert"].sudo()
        res_model = spec.source_model
        silenced = self.env["distrib.ai.feedback"]._suppressed(
            company, self.detector, found
        )
        found = [f for f in found if (f["key"], f["id"]) not in silenced]
        existing = {
            alert.res_id: alert
            for alert in Alert.search(
                [
                    ("company_id", "=", company.id),
                    ("detector", "=", self.detector),
                    ("res_model", "=", res_model),
                    ("res_id", "in", [f["id"] for f in found]),
                ]
            )
        }
        records = self.env[res_model].browse([f["id"] for f in found])
        names = {record.id: record.display_name for record in records}
        actions = self._recommended_actions(records)
        translate = self.env._
        now = fields.Datetime.now()
        to_create = []
        refreshed = Alert.browse()
        for item in found:
            row = item["row"]
            vals = {
                "score": item["score"],
                "severity": item["severity"],
                "impact_amount": item["impact"],
                "value": item["value"],
                "explanation": explain(item["reasons"], translate),
                "reasons": item["reasons"],
                "recommended_action": actions.get(item["id"], False),
                "date_last_seen": now,
            }
            alert = existing.get(item["id"])
            if alert:
                # a late-order risk that cleared and came back reopens; an
                # alert with feedback stays closed
                if alert.state in ("open", "resolved"):
                    alert.write(dict(vals, state="open"))
                    refreshed |= alert
                continue
            vals.update(
                company_id=company.id,
                detector=self.detector,
                model_id=self.id,
                res_model=res_model,
                res_id=item["id"],
                source_name=names.get(item["id"]),
                key=item["key"],
                partner_id=_int_or_false(columns.get("partner_ref"), row),
                product_id=_int_or_false(columns.get("product_ref"), row),
            )
            to_create.append(vals)
        alerts = refreshed | Alert.create(to_create)
        if spec.rescore_open:
            self._resolve_cleared(alerts)
        self._sync_exceptions(alerts)
        return self.env["distrib.ai.alert"].browse(alerts.ids)

    def _resolve_cleared(self, alerts):
        """A detector that re-scores the open records on every run (late-order
        risk): close the alerts of the records no longer found, and their
        exceptions."""
        cleared = (
            self.env["distrib.ai.alert"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("detector", "=", self.detector),
                    ("state", "=", "open"),
                    ("id", "not in", alerts.ids),
                ]
            )
        )
        if not cleared:
            return
        cleared.write({"state": "resolved"})
        cleared._resolve_exceptions(
            self.env._("No longer at risk of missing its date.")
        )

    def _sync_exceptions(self, alerts):
        if not alerts:
            return
        Exception_ = self.env["distrib.exception"].sudo()
        spec = self._spec()
        exception_type = spec.exception_type
        records = self.env[spec.source_model].browse(alerts.mapped("res_id"))
        by_res = {alert.res_id: alert for alert in alerts}
        summaries = {}
        details = {}
        impacts = {}
        severities = {}
        for alert in alerts:
            first = (alert.explanation or "").split("; ")[0]
            summaries[alert.res_id] = self.env._(
                "%(detector)s: %(reason)s",
                detector=dict(DETECTORS)[alert.detector],
                reason=first,
            )[:250]
            details[alert.res_id] = alert._details_html()
            impacts[alert.res_id] = alert.impact_amount
            severities.setdefault(alert.severity, []).append(alert.res_id)
        for severity, res_ids in severities.items():
            subset = records.browse(res_ids)
            exceptions = Exception_._raise_for(
                subset,
                exception_type,
                severity=severity,
                summary=summaries,
                details=details,
                impact_amount=impacts,
            )
            for record, exception in zip(subset, exceptions, strict=True):
                if by_res[record.id].exception_id != exception:
                    by_res[record.id].exception_id = exception

    def _recommended_actions(self, records):
        """``{record id: text}``: the action recommended for each scored
        record, by the detector's ``_recommend_<detector>`` method when it has
        one."""
        method = getattr(self, f"_recommend_{self.detector}", None)
        if not records or method is None:
            return {}
        return method(records)

    def _recommend_late_risk(self, lines):
        """``{sale.order.line id: text}``: the best sourcing option that
        distrib_atp offers for each short line."""
        best = {}
        for vals in lines._distrib_sourcing_options():
            line_id = vals["line_id"]
            if line_id not in best or vals["rank"] < best[line_id]["rank"]:
                best[line_id] = vals
        Option = self.env["distrib.sourcing.option"]
        fields_ok = set(Option._fields)
        return {
            line_id: Option.new(
                {k: v for k, v in vals.items() if k in fields_ok}
            ).summary
            or ""
            for line_id, vals in best.items()
        }

    # ------------------------------------------------------------------
    # data: a few bulk queries per company
    # ------------------------------------------------------------------
    def _since_date(self):
        return fields.Datetime.now() - timedelta(days=HISTORY_DAYS)

    def _query(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    def _fetch_price(self, since_id=0, train=False, line_ids=None):
        """The posted customer invoice lines after ``since_id``; with
        ``line_ids``, those lines whatever their state (the draft invoice
        checked before it posts)."""
        company = self.company_id
        if line_ids is not None:
            scope = SQL("aml.id IN %s", tuple(line_ids) or (0,))
        else:
            scope = SQL(
                "am.state = 'posted' AND aml.id > %s AND aml.date >= %s",
                since_id or 0,
                self._since_date().date(),
            )
        rows = self._query(
            SQL(
                """
                SELECT aml.id, COALESCE(p.commercial_partner_id, p.id), aml.product_id,
                       CASE WHEN aml.amount_currency <> 0
                            THEN aml.price_unit * aml.balance / aml.amount_currency
                            ELSE aml.price_unit END,
                       COALESCE(aml.discount, 0), aml.quantity,
                       aml.date - DATE '1970-01-01'
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_partner p ON p.id = am.partner_id
                 WHERE aml.company_id = %(company)s
                   AND am.move_type = 'out_invoice' AND %(scope)s
                   AND aml.display_type = 'product' AND aml.product_id IS NOT NULL
                   AND aml.quantity > 0 AND aml.price_unit > 0
              ORDER BY aml.id
                """,
                company=company.id,
                scope=scope,
            )
        )
        return self._price_columns(rows, train=train)

    def _price_columns(self, rows, train=False, pricelists=None, rebates=None):
        """The columns of the price detector from ``rows`` (id, commercial
        partner id, product id, unit price in company currency, discount %,
        quantity, date ordinal): the customer's rebate folded in the discount,
        the contract price of the customer's pricelist (``pricelists``:
        ``{partner id: pricelist id}``, default: the partners' own; ``rebates``:
        ``{row id: rebate %}``, default: ``_price_rebate_rates``)."""
        company = self.company_id
        partners = self.env["res.partner"].browse({r[1] for r in rows})
        if pricelists is None:
            pricelists = {}
            if partners and not train:
                for partner in partners.with_company(company):
                    pricelists[partner.id] = partner.property_product_pricelist.id
        if rebates is None:
            rebates = self._price_rebate_rates(rows)
        contracts = {} if train else self._contract_prices(rows, pricelists)
        columns = _columns(
            rows, ["id", "partner", "product", "price", "discount", "quantity", "date"]
        )
        rebate = np.array([rebates.get(r[0], 0.0) for r in rows], dtype=float)
        columns["discount"] = 100.0 * (
            1 - (1 - columns["discount"] / 100.0) * (1 - rebate / 100.0)
        )
        columns["contract_price"] = np.array(
            [contracts.get((pricelists.get(r[1]), r[2]), math.nan) for r in rows],
            dtype=float,
        )
        columns["partner_ref"] = columns["partner"]
        columns["product_ref"] = columns["product"]
        return columns

    def _price_rebate_rates(self, rows):
        """``{invoice line id: rebate %}`` the customer is expected to earn on
        each row of the price detector (id, commercial partner id, product id,
        ...); extension point for rebate agreements. Default: the customer's
        flat rebate."""
        return self._price_flat_rebates(rows)

    def _price_flat_rebates(self, rows):
        """``{row id: the customer's flat rebate %}``."""
        partners = self.env["res.partner"].browse({r[1] for r in rows})
        flat = {
            partner.id: partner.distrib_rebate_percent or 0.0
            for partner in partners.with_company(self.company_id)
        }
        return {r[0]: flat.get(r[1], 0.0) for r in rows}

    def _contract_prices(self, rows, pricelists):
        """Fixed prices of the customers' pricelists for the products, in the
        company currency: ``{(pricelist id, product id): price}``."""
        products = self.env["product.product"].browse({r[2] for r in rows})
        pricelist_ids = {p for p in pricelists.values() if p}
        if not products or not pricelist_ids:
            return {}
        today = fields.Datetime.now()
        items = (
            self.env["product.pricelist.item"]
            .sudo()
            .search(
                [
                    ("pricelist_id", "in", list(pricelist_ids)),
                    ("compute_price", "=", "fixed"),
                    ("min_quantity", "<=", 1),
                    "|",
                    ("product_id", "in", products.ids),
                    "&",
                    ("product_id", "=", False),
                    ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                    "|",
                    ("date_start", "=", False),
                    ("date_start", "<=", today),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                ]
            )
        )
        company = self.company_id
        result = {}
        variants_of = {}
        for product in products:
            variants_of.setdefault(product.product_tmpl_id.id, []).append(product.id)
        # variant prices win over template prices
        for item in items.sorted(lambda i: bool(i.product_id)):
            price = item.currency_id._convert(
                item.fixed_price, company.currency_id, company, today.date()
            )
            targets = (
                [item.product_id.id]
                if item.product_id
                else variants_of.get(item.product_tmpl_id.id, [])
            )
            for product_id in targets:
                result[item.pricelist_id.id, product_id] = price
        return result

    def _company_tz(self):
        return self.company_id.partner_id.tz or self.env.user.tz or "UTC"

    def _unit_costs(self, product_ids):
        products = self.env["product.product"].browse(set(product_ids))
        return {
            product.id: product.standard_price
            for product in products.with_company(self.company_id)
        }

    def _fetch_inventory(self, since_id=0, train=False):
        rows = self._query(
            SQL(
                """
                SELECT sm.id, sm.product_id,
                       CASE WHEN dest.usage = 'internal' THEN sm.location_dest_id
                            ELSE sm.location_id END,
                       CASE WHEN dest.usage = 'internal' THEN sm.product_qty
                            ELSE -sm.product_qty END,
                       EXTRACT(HOUR FROM sm.date AT TIME ZONE 'UTC'
                               AT TIME ZONE %(tz)s)::int,
                       (EXTRACT(ISODOW FROM sm.date AT TIME ZONE 'UTC'
                               AT TIME ZONE %(tz)s)::int - 1),
                       sm.write_uid
                  FROM stock_move sm
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                 WHERE sm.company_id = %(company)s AND sm.is_inventory
                   AND sm.state = 'done' AND sm.id > %(since)s
                   AND sm.date >= %(date)s
                   -- an opening balance (the first stock of the product in
                   -- the location) is not a count: it says nothing about what
                   -- a count variance usually is
                   AND EXISTS (
                       SELECT 1
                         FROM stock_move prev
                        WHERE prev.product_id = sm.product_id
                          AND prev.state = 'done' AND prev.date < sm.date
                          AND prev.location_dest_id =
                              CASE WHEN dest.usage = 'internal'
                                   THEN sm.location_dest_id
                                   ELSE sm.location_id END
                   )
              ORDER BY sm.id
                """,
                tz=self._company_tz(),
                company=self.company_id.id,
                since=since_id or 0,
                date=self._since_date(),
            )
        )
        columns = _columns(
            rows, ["id", "product", "location", "quantity", "hour", "weekday", "user"]
        )
        costs = self._unit_costs(columns["product"].tolist())
        columns["unit_cost"] = np.array(
            [costs.get(int(p), 0.0) for p in columns["product"]], dtype=float
        )
        columns["product_ref"] = columns["product"]
        return columns

    def _fetch_transfer(self, since_id=0, train=False):
        rows = self._query(
            SQL(
                """
                SELECT sm.id, sm.product_id, COALESCE(src.warehouse_id, 0),
                       COALESCE(dest.warehouse_id, 0), sm.product_qty,
                       src.company_id IS DISTINCT FROM dest.company_id
                  FROM stock_move sm
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                 WHERE sm.company_id = %(company)s AND sm.state = 'done'
                   AND sm.is_inventory IS NOT TRUE
                   AND src.usage IN ('internal', 'transit')
                   AND dest.usage IN ('internal', 'transit')
                   AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
                   AND sm.id > %(since)s AND sm.date >= %(date)s
              ORDER BY sm.id
                """,
                company=self.company_id.id,
                since=since_id or 0,
                date=self._since_date(),
            )
        )
        columns = _columns(
            rows,
            ["id", "product", "source", "destination", "quantity", "cross_company"],
        )
        columns["cross_company"] = columns["cross_company"].astype(bool)
        if train:
            columns["reference"] = self._fetch_transfer_reference()
        costs = self._unit_costs(columns["product"].tolist())
        columns["unit_cost"] = np.array(
            [costs.get(int(p), 0.0) for p in columns["product"]], dtype=float
        )
        columns["product_ref"] = columns["product"]
        return columns

    def _fetch_transfer_reference(self):
        """The product and quantity of the company's done receipts and
        deliveries: the usual size of a product's moves, what a transfer is
        compared with while its route has little history."""
        rows = self._query(
            SQL(
                """
                SELECT sm.product_id, sm.product_qty
                  FROM stock_move sm
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                 WHERE sm.company_id = %(company)s AND sm.state = 'done'
                   AND sm.is_inventory IS NOT TRUE AND sm.product_qty > 0
                   AND ((src.usage = 'supplier' AND dest.usage = 'internal')
                        OR (src.usage = 'internal' AND dest.usage = 'customer'))
                   AND sm.date >= %(date)s
                """,
                company=self.company_id.id,
                date=self._since_date(),
            )
        )
        return _columns(rows, ["product", "quantity"])

    def _fetch_late_risk_history(self):
        """The receipts' lateness per supplier, and the outgoing moves done per
        warehouse and day (the days it shipped) that give its capacity."""
        company = self.company_id.id
        receipts = self._query(
            SQL(
                """
                SELECT po.partner_id,
                       EXTRACT(EPOCH FROM (sm.date - pol.date_planned)) / 86400.0
                  FROM stock_move sm
                  JOIN purchase_order_line pol ON pol.id = sm.purchase_line_id
                  JOIN purchase_order po ON po.id = pol.order_id
                 WHERE sm.company_id = %(company)s AND sm.state = 'done'
                   AND pol.date_planned IS NOT NULL AND sm.date >= %(date)s
                """,
                company=company,
                date=self._since_date(),
            )
        )
        # outgoing moves done per warehouse and day (company time), on the days
        # it shipped: its capacity is a high quantile of these
        throughput = self._query(
            SQL(
                """
                SELECT spt.warehouse_id, COUNT(*)
                  FROM stock_move sm
                  JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                 WHERE sm.company_id = %(company)s AND sm.state = 'done'
                   AND spt.code = 'outgoing' AND spt.warehouse_id IS NOT NULL
                   AND sm.date >= %(date)s
              GROUP BY spt.warehouse_id,
                       (sm.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                """,
                company=company,
                tz=self._company_tz(),
                date=fields.Datetime.now() - timedelta(days=CAPACITY_DAYS),
            )
        )
        return (
            _columns(receipts, ["supplier", "days_late"]),
            _columns(throughput, ["warehouse", "done"]),
        )

    def _fetch_late_risk(self, since_id=0, train=False):
        """The columns of ``score_late_risk``, one row per open order line, in
        one query: each line's place in the queue of its warehouse's pending
        deliveries comes from a window function. With ``train``: the history
        it learns from (see ``_fetch_late_risk_history``)."""
        if train:
            return self._fetch_late_risk_history()
        company = self.company_id
        now = fields.Datetime.now()
        rows = self._query(
            SQL(
                """
                WITH open_lines AS (
                    SELECT sol.id, sol.order_id, sol.product_id, so.warehouse_id,
                           so.partner_id,
                           COALESCE(so.commitment_date,
                                    so.date_order
                                    + make_interval(days => sol.customer_lead::int))
                               AS promise,
                           sol.product_uom_qty - sol.qty_delivered AS remaining,
                           CASE WHEN sol.product_uom_qty > 0
                                THEN sol.price_subtotal
                                     * (sol.product_uom_qty - sol.qty_delivered)
                                     / sol.product_uom_qty
                                ELSE 0 END
                               / NULLIF(so.currency_rate, 0) AS amount
                      FROM sale_order_line sol
                      JOIN sale_order so ON so.id = sol.order_id
                      JOIN product_product pp ON pp.id = sol.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE so.company_id = %(company)s AND so.state = 'sale'
                       AND sol.display_type IS NULL AND pt.is_storable
                       AND sol.qty_delivered < sol.product_uom_qty
                ),
                shortfall AS (
                    SELECT sm.sale_line_id,
                           SUM(GREATEST(sm.product_qty - sm.quantity, 0)) AS short
                      FROM stock_move sm
                     WHERE sm.sale_line_id IN (SELECT id FROM open_lines)
                       AND sm.state NOT IN ('done', 'cancel', 'draft')
                  GROUP BY sm.sale_line_id
                ),
                supply AS (
                    SELECT DISTINCT ON (sm.product_id, spt.warehouse_id)
                           sm.product_id, spt.warehouse_id, po.partner_id,
                           sm.date
                      FROM stock_move sm
                      JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                      JOIN purchase_order_line pol ON pol.id = sm.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                     WHERE sm.company_id = %(company)s
                       AND sm.state IN %(pending)s
                       AND sm.product_id IN (SELECT product_id FROM open_lines)
                  ORDER BY sm.product_id, spt.warehouse_id, sm.date
                ),
                queue AS (
                    -- each pending delivery's place in its warehouse's queue:
                    -- the pending deliveries scheduled on or before it, itself
                    -- included (ties count: the default window frame)
                    SELECT sm.sale_line_id, spt.warehouse_id,
                           COUNT(*) OVER (PARTITION BY spt.warehouse_id
                                              ORDER BY sm.date) AS ahead
                      FROM stock_move sm
                      JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                     WHERE sm.company_id = %(company)s AND spt.code = 'outgoing'
                       AND spt.warehouse_id IS NOT NULL
                       AND sm.state IN %(pending)s
                ),
                line_position AS (
                    -- a line waits for its first pending delivery
                    SELECT DISTINCT ON (q.sale_line_id)
                           q.sale_line_id, q.warehouse_id, q.ahead
                      FROM queue q
                     WHERE q.sale_line_id IN (SELECT id FROM open_lines)
                  ORDER BY q.sale_line_id, q.ahead
                )
                SELECT ol.id, COALESCE(pos.warehouse_id, ol.warehouse_id),
                       EXTRACT(EPOCH FROM (ol.promise - %(now)s)) / 86400.0,
                       ol.remaining, COALESCE(sf.short, 0),
                       COALESCE(su.partner_id, -1),
                       EXTRACT(EPOCH FROM (su.date - %(now)s)) / 86400.0,
                       pos.ahead, COALESCE(ol.amount, 0),
                       ol.partner_id, ol.product_id
                  FROM open_lines ol
             LEFT JOIN shortfall sf ON sf.sale_line_id = ol.id
             LEFT JOIN line_position pos ON pos.sale_line_id = ol.id
             LEFT JOIN supply su
                    ON su.product_id = ol.product_id
                   AND su.warehouse_id = COALESCE(pos.warehouse_id, ol.warehouse_id)
              ORDER BY ol.id
                """,
                company=company.id,
                pending=PENDING_MOVE_STATES,
                now=now,
            )
        )
        columns = _columns(
            rows,
            [
                "id",
                "warehouse",
                "promise",
                "quantity",
                "short",
                "supplier",
                "receipt",
                "ahead",
                "amount",
                "partner_ref",
                "product_ref",
            ],
        )
        suppliers = self.env["res.partner"].browse(
            {int(s) for s in columns["supplier"] if s > 0}
        )
        names = {partner.id: partner.display_name for partner in suppliers}
        columns["supplier_name"] = [names.get(int(s), "") for s in columns["supplier"]]
        return columns


def _columns(rows, names):
    if not rows:
        return {name: np.zeros(0) for name in names}
    transposed = list(zip(*rows, strict=True))
    return {
        name: np.array(
            [math.nan if v is None else v for v in transposed[index]], dtype=float
        )
        for index, name in enumerate(names)
    }


def _int_or_false(column, row):
    if column is None:
        return False
    value = column[row]
    return int(value) if value and value > 0 and not math.isnan(value) else False
