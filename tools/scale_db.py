"""Build a database SCALE times the demo scenario's size, and check it.

    python3 tools/scale_db.py --db h18_scale10 --scale 10 [--source distrib_demo]
    python3 tools/scale_db.py --db h18_scale10 --check
    make scale-db DB=h18_scale10 SCALE=10

The database is a copy of the scenario database (``createdb -T``: the scenario's
companies, settings, users, warehouses and six months of history), grown in bulk:

1. **History, copied SCALE - 1 times by SQL** (``INSERT ... SELECT`` over
   ``generate_series``), each copy with its own products, customers and suppliers
   and its own orders, pickings, moves, move lines, quants, lots, valuation layers,
   invoices, payments, reconciliations, exceptions, approvals, alerts and order
   events. Ids are shifted by a fixed offset per table and copy; every foreign key
   (read from PostgreSQL's catalogue) and every ``res_model``/``res_id`` pair is
   shifted the same way when it points at a copied row, and left alone when it
   points at shared data (companies, users, warehouses, locations, accounts,
   taxes, journals). A copy is therefore the scenario again on other products and
   partners: quants equal its done moves, reservations equal its move lines,
   valuation layers equal its journal items, exactly as in the scenario.
   Names that must stay unique get a suffix (``S00012-3``); posted journal entries
   are renumbered in their sequence (``INV/2026/00012`` + copy * the journal's
   highest number), so Odoo's next number follows on. The order events' hash
   chains are sealed again with ``distrib.order.event._distrib_rebuild_chains``.
2. **The exception queue** gets about 1,000 entries per SCALE (100,000 at SCALE
   100): the copies above, plus resolved history (the scenario's exceptions again,
   resolved, on the copied documents).
3. **Warehouses, through the ORM**: new warehouses up to ``min(6 * SCALE, 30)``
   (a mid-size distributor's 20-30), spread over the scenario's companies, each with
   its quarantine/damaged/returns locations and an inventory of some products
   applied by Odoo (``stock.quant.action_apply_inventory``: moves, valuation and
   journal entries as a user would get them).

Needs a PostgreSQL superuser (foreign keys are checked once, at the end, by the
consistency check rather than row by row: ``session_replication_role``).
``--check`` prints rows per table and compares quants with the done moves and the
reservations with the move lines, per product and location.
"""

# pylint: disable=print-used
import argparse
import os
import shutil
import subprocess
import sys
import time

# the Odoo shell runs this file from its standard input, without __file__
HERE = os.path.dirname(os.path.abspath(globals().get("__file__", "tools/x")))

# documents copied whole, SCALE - 1 times
DOCUMENT_TABLES = [
    "procurement_group",
    "sale_order",
    "sale_order_line",
    "purchase_order",
    "purchase_order_line",
    "stock_picking",
    "stock_move",
    "stock_move_line",
    "stock_valuation_layer",
    "stock_scrap",
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "account_full_reconcile",
    "account_payment",
    "distrib_order_event",
    "distrib_approval_request",
    "distrib_approval_decision",
    "distrib_order_dispute",
    "distrib_return_authorization",
    "distrib_return_authorization_line",
    "distrib_ai_alert",
    "stock_landed_cost",
    "stock_landed_cost_lines",
    "stock_valuation_adjustment_lines",
    "distrib_rebate_accrual",
]
# master data copied in part: {table: SQL predicate on the source row}
MASTER_TABLES = {
    "product_template": """id NOT IN (SELECT res_id FROM ir_model_data
                              WHERE model = 'product.template'
                                AND module NOT LIKE 'distrib%%')""",
    "res_partner": """id NOT IN (SELECT partner_id FROM res_company)
                   AND id NOT IN (SELECT partner_id FROM res_users)
                   AND id NOT IN (SELECT res_id FROM ir_model_data
                                   WHERE model = 'res.partner'
                                     AND module NOT LIKE 'distrib%%')
                   AND commercial_partner_id NOT IN (
                       SELECT partner_id FROM res_company)""",
}
# copied with the master rows they belong to: {table: [columns, any of which]}
SATELLITE_TABLES = {
    "product_product": ["product_tmpl_id"],
    "stock_lot": ["product_id"],
    "stock_quant": ["product_id"],
    "product_supplierinfo": ["product_tmpl_id", "product_id"],
    "product_pricelist_item": ["product_tmpl_id", "product_id"],
    "distrib_product_substitute": ["product_id", "substitute_id"],
    "product_packaging": ["product_id"],
    "distrib_rebate_agreement": ["partner_id"],
    "distrib_rebate_tier": ["agreement_id"],
    "distrib_landed_cost_term": ["partner_id", "product_id"],
}
# tables with a res_model/res_id pair
RES_ID_TABLES = {
    "distrib_exception",
    "distrib_order_event",
    "distrib_ai_alert",
    "distrib_approval_request",
}
# the exception queue: copies + resolved history, about this many per SCALE
EXCEPTIONS_PER_SCALE = 1000
MAX_WAREHOUSES = 30
INVENTORY_PRODUCTS = 60  # products counted into each new warehouse


def pg_env():
    env = dict(os.environ)
    env.setdefault("PGHOST", os.environ.get("DB_HOST", "127.0.0.1"))
    env.setdefault("PGPORT", os.environ.get("DB_PORT", "5432"))
    env.setdefault("PGUSER", os.environ.get("DB_USER", "odoo"))
    env.setdefault("PGPASSWORD", os.environ.get("DB_PASSWORD", "odoo"))
    return env


# ----------------------------------------------------------------------
# in the Odoo shell
# ----------------------------------------------------------------------
class Scaler:
    def __init__(self, env, scale):
        self.env = env
        self.cr = env.cr
        self.scale = scale
        self.offsets = {}  # table: id offset per copy
        self.started = time.time()

    def log(self, message):
        print(f"[{time.time() - self.started:7.1f} s] {message}", flush=True)

    def q(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.fetchall() if self.cr.description else None

    # -- catalogue ------------------------------------------------------
    def columns(self, table):
        return [
            row[0]
            for row in self.q(
                """SELECT column_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name = %s
                      AND is_generated = 'NEVER'
                    ORDER BY ordinal_position""",
                [table],
            )
        ]

    def foreign_keys(self, table):
        """{column: referenced table} of ``table``'s single-column foreign keys."""
        rows = self.q(
            """SELECT a.attname, c.confrelid::regclass::text
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid
                                    AND a.attnum = c.conkey[1]
                WHERE c.contype = 'f' AND c.conrelid = %s::regclass
                  AND array_length(c.conkey, 1) = 1""",
            [table],
        )
        return dict(rows)

    def exists(self, table):
        return bool(self.q("SELECT to_regclass(%s)", [table])[0][0])

    # -- ids --------------------------------------------------------------
    def prepare_ids(self):
        """Temp tables ``scale_ids_<table>`` of the source rows that are copied,
        and the id offset of each table (its highest id: copy k = id + k * it)."""
        tables = {}
        for table in DOCUMENT_TABLES:
            if self.exists(table):
                tables[table] = "TRUE"
        for table, where in MASTER_TABLES.items():
            tables[table] = where
        for table, where in tables.items():
            self.make_ids(table, where)
        for table, columns in SATELLITE_TABLES.items():
            if not self.exists(table):
                continue
            keys = self.foreign_keys(table)
            where = " OR ".join(
                f"{column} IN (SELECT id FROM scale_ids_{keys[column]})"
                for column in columns
                if column in keys and keys[column] in self.offsets
            )
            self.make_ids(table, where or "FALSE")
        # the exceptions about copied records (one open exception per record
        # and type: those about a record that is not copied, such as a
        # stockout risk, stay single)
        if self.exists("distrib_exception"):
            models = list(self.res_models())
            self.make_ids(
                "distrib_exception",
                self.cr.mogrify("res_model = ANY(%s)", [models]).decode(),
            )

    def make_ids(self, table, where):
        self.q(
            f"CREATE TEMP TABLE scale_ids_{table} AS SELECT id FROM {table} "
            f"WHERE {where}"
        )
        self.q(f"CREATE UNIQUE INDEX ON scale_ids_{table} (id)")
        self.q(f"ANALYZE scale_ids_{table}")
        self.offsets[table] = self.q(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0][0]

    def shift(self, expression, table, copy="k"):
        """SQL: ``expression`` (an id of ``table``) in copy ``copy``."""
        offset = self.offsets[table]
        return (
            f"(CASE WHEN {expression} IN (SELECT id FROM scale_ids_{table}) "
            f"THEN {expression} + ({copy}) * {offset} ELSE {expression} END)"
        )

    # -- copying ----------------------------------------------------------
    def overrides(self, table, copy):
        """Columns whose copy is not the shifted source value."""
        suffix = f"'-' || ({copy})::text"
        if table in ("sale_order", "purchase_order", "procurement_group"):
            return {"name": f"src.name || {suffix}"}
        if table == "stock_picking":
            return {"name": f"src.name || {suffix}"}
        if table in ("stock_move", "stock_move_line"):
            return {"reference": f"src.reference || {suffix}"}
        if table == "account_move":
            # renumbered in its journal's sequence; a draft '/' stays '/'
            number = (
                f"src.sequence_number + ({copy}) * scale_seq.top"
                if "scale_seq" in self.joins.get(table, "")
                else "src.sequence_number"
            )
            return {
                "sequence_number": f"CASE WHEN scale_seq.top IS NULL "
                f"THEN src.sequence_number ELSE {number} END",
                "name": "CASE WHEN src.name = '/' THEN src.name "
                f"WHEN scale_seq.top IS NULL THEN src.name || {suffix} ELSE "
                # zero-padded to the source's width, never cut: 10000 stays 10000
                "src.sequence_prefix || lpad(("
                f"{number})::text, "
                "GREATEST(length(src.name) - length(src.sequence_prefix), "
                f"length(({number})::text)), '0') "
                "END",
            }
        if table == "account_move_line":
            return {
                "matching_number": "CASE WHEN src.full_reconcile_id IS NOT NULL "
                "THEN (src.full_reconcile_id + "
                f"({copy}) * {self.offsets['account_full_reconcile']})::text "
                "WHEN src.matching_number LIKE 'P%%' THEN 'P' || "
                "(substr(src.matching_number, 2)::integer + "
                f"({copy}) * {self.offsets['account_partial_reconcile']})::text "
                "ELSE src.matching_number END",
            }
        if table == "product_template":
            return {
                "name": "(SELECT jsonb_object_agg(key, value || ' ' || "
                f"({copy})::text) FROM jsonb_each_text(src.name))",
                "default_code": f"src.default_code || {suffix}",
            }
        if table == "product_product":
            return {"default_code": f"src.default_code || {suffix}", "barcode": "NULL"}
        if table == "res_partner":
            return {
                "name": f"src.name || ' ' || ({copy})::text",
                "complete_name": f"src.complete_name || ' ' || ({copy})::text",
                "ref": f"src.ref || {suffix}",
            }
        if table == "product_packaging":
            return {"barcode": "NULL"}
        if table in ("stock_landed_cost", "distrib_rebate_agreement"):
            return {"name": f"src.name || {suffix}"}
        if table == "stock_lot":
            return {"name": f"src.name || {suffix}"}
        if table == "distrib_ai_alert":
            return {"key": f"src.key || {suffix}"}
        if table == "distrib_order_event":
            return {"chain_sequence": "NULL", "previous_hash": "NULL"}
        return {}

    joins = {
        "account_move": """
            LEFT JOIN (SELECT journal_id, sequence_prefix,
                              MAX(sequence_number) AS top
                         FROM account_move
                        WHERE name <> '/' AND sequence_prefix IS NOT NULL
                          AND sequence_number IS NOT NULL
                        GROUP BY 1, 2) scale_seq
                   ON scale_seq.journal_id = src.journal_id
                  AND scale_seq.sequence_prefix = src.sequence_prefix
                  AND src.name <> '/'
                  AND src.name = src.sequence_prefix
                      || lpad(src.sequence_number::text,
                              GREATEST(length(src.name)
                                       - length(src.sequence_prefix), 1), '0')
        """,
    }

    def res_models(self):
        """{model name: table} of the copied tables."""
        return {
            model: table
            for model, table in self.q(
                "SELECT model, replace(model, '.', '_') FROM ir_model"
            )
            if table in self.offsets
        }

    def copy_table(self, table, copies_from=1, copies_to=None, copy="k", extra=None):
        """Insert copies ``copies_from..copies_to`` of the source rows of
        ``table``; ``copy`` is the SQL of the copy whose documents a row points
        at (``k`` itself, or ``mod(k, SCALE)`` for the exception history)."""
        copies_to = copies_to or self.scale - 1
        if copies_to < copies_from:
            return 0
        columns = self.columns(table)
        keys = self.foreign_keys(table)
        overrides = self.overrides(table, copy)
        overrides.update(extra or {})
        models = self.res_models() if table in RES_ID_TABLES else {}
        values = []
        for column in columns:
            if column == "id":
                values.append(f"src.id + k * {self.offsets[table]}")
            elif column in overrides:
                values.append(overrides[column])
            elif column == "res_id" and models:
                cases = " ".join(
                    f"WHEN '{model}' THEN {self.shift('src.res_id', other, copy)}"
                    for model, other in models.items()
                )
                values.append(f"CASE src.res_model {cases} ELSE src.res_id END")
            elif keys.get(column) in self.offsets:
                values.append(self.shift(f"src.{column}", keys[column], copy))
            else:
                values.append(f"src.{column}")
        column_list = ", ".join(f'"{column}"' for column in columns)
        self.q(
            f"""INSERT INTO {table} ({column_list})
                SELECT {", ".join(values)}
                  FROM {table} src
                  {self.joins.get(table, "")}
                 CROSS JOIN generate_series(%s, %s) AS k
                 WHERE src.id IN (SELECT id FROM scale_ids_{table})""",
            [copies_from, copies_to],
        )
        return self.cr.rowcount

    def relation_tables(self):
        """Many2many tables (two foreign keys, no id) touching a copied table,
        and not a wizard's."""
        transient = {
            row[0]
            for row in self.q(
                "SELECT replace(model, '.', '_') FROM ir_model WHERE transient"
            )
        }
        rows = self.q(
            """SELECT t.table_name FROM information_schema.tables t
                WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                  AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
                                   WHERE c.table_name = t.table_name
                                     AND c.column_name = 'id')"""
        )
        result = {}
        for (table,) in rows:
            keys = self.foreign_keys(table)
            columns = self.columns(table)
            if len(keys) != 2 or len(columns) != 2:
                continue
            targets = set(keys.values())
            if targets & transient or not targets & set(self.offsets):
                continue
            if table.startswith("mail_"):
                continue
            result[table] = keys
        return result

    def copy_relation(self, table, keys):
        copied = [column for column, target in keys.items() if target in self.offsets]
        values = ", ".join(
            self.shift(f"src.{column}", keys[column])
            if column in copied
            else f"src.{column}"
            for column in keys
        )
        where = " OR ".join(
            f"src.{column} IN (SELECT id FROM scale_ids_{keys[column]})"
            for column in copied
        )
        self.q(
            f"""INSERT INTO {table} ({", ".join(keys)})
                SELECT {values} FROM {table} src
                 CROSS JOIN generate_series(1, %s) AS k
                 WHERE {where}
                ON CONFLICT DO NOTHING""",
            [self.scale - 1],
        )
        return self.cr.rowcount

    def report_skipped(self):
        """Name the filled tables that point at copied rows and are not copied."""
        rows = self.q(
            """SELECT DISTINCT c.conrelid::regclass::text
                 FROM pg_constraint c
                WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)""",
            [list(self.offsets)],
        )
        relations = set(self.relation_tables())
        skipped = []
        for (table,) in rows:
            if table in self.offsets or table in relations or table in RES_ID_TABLES:
                continue
            if self.q(f"SELECT EXISTS (SELECT 1 FROM {table})")[0][0]:
                skipped.append(table)
        if skipped:
            self.log(
                "not copied (shared, wizard or chatter rows): "
                + ", ".join(sorted(skipped))
            )

    def reset_sequences(self):
        for table in self.offsets:
            self.q(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )

    # -- steps ------------------------------------------------------------
    def copy_history(self):
        self.q("SET session_replication_role = replica")
        self.prepare_ids()
        order = (
            list(MASTER_TABLES)
            + [table for table in SATELLITE_TABLES if table in self.offsets]
            + [table for table in DOCUMENT_TABLES if table in self.offsets]
        )
        for table in order:
            started = time.time()
            count = self.copy_table(table)
            self.log(f"{table}: +{count} rows in {time.time() - started:.1f} s")
        self.report_skipped()
        for table, keys in self.relation_tables().items():
            count = self.copy_relation(table, keys)
            if count:
                self.log(f"{table}: +{count} rows")
        self.copy_exceptions()
        self.fix_copies()
        self.q("SET session_replication_role = DEFAULT")
        self.reset_sequences()

    def copy_exceptions(self):
        started = time.time()
        count = self.copy_table("distrib_exception")
        source = len(self.q("SELECT id FROM scale_ids_distrib_exception"))
        # resolved history on the copied documents: copies SCALE.. of the rows
        rounds = max(0, -(-EXCEPTIONS_PER_SCALE * self.scale // max(source, 1)))
        if rounds > self.scale:
            count += self.copy_table(
                "distrib_exception",
                copies_from=self.scale,
                copies_to=rounds - 1,
                copy=f"mod(k, {self.scale})",
                extra={
                    "state": "'resolved'",
                    "date_resolved": "COALESCE(src.date_resolved, "
                    "src.date_last_seen, src.date_raised)",
                    "resolution_note": "'Resolved (history of the scale dataset).'",
                },
            )
        self.log(f"distrib_exception: +{count} rows in {time.time() - started:.1f} s")

    def fix_copies(self):
        """Stored copies of names: the journal items' entry name, the events'
        order name, the exceptions' source name."""
        offset = self.offsets["account_move"]
        self.q(
            """UPDATE account_move_line l SET move_name = m.name
                 FROM account_move m
                WHERE l.move_id = m.id AND m.id > %s
                  AND l.move_name IS DISTINCT FROM m.name""",
            [offset],
        )
        self.q(
            """UPDATE distrib_order_event e SET order_name = o.name
                 FROM sale_order o
                WHERE e.order_id = o.id AND e.id > %s""",
            [self.offsets["distrib_order_event"]],
        )
        self.q(
            """UPDATE account_move m SET invoice_origin = m.invoice_origin || '-'
                      || ((m.id - 1) / %s)::text
                WHERE m.id > %s AND m.invoice_origin IS NOT NULL""",
            [offset, offset],
        )

    def reseal_events(self):
        started = time.time()
        self.env["distrib.order.event"]._distrib_rebuild_chains()
        self.log(f"order event hash chains sealed in {time.time() - started:.1f} s")

    def add_warehouses(self):
        """New warehouses up to min(6 * SCALE, 30), with stock, through the ORM."""
        Warehouse = self.env["stock.warehouse"].sudo()
        warehouses = Warehouse.search([])
        target = min(len(warehouses) * self.scale, MAX_WAREHOUSES)
        companies = warehouses.company_id.sorted("id")
        if len(warehouses) >= target or not companies:
            return
        started = time.time()
        Product = self.env["product.product"]
        products = Product.search([("is_storable", "=", True)], order="id")
        created = Warehouse
        index = 0
        while len(warehouses) + len(created) < target:
            index += 1
            code = f"X{index:02d}"
            if Warehouse.with_context(active_test=False).search_count(
                [("code", "=", code)]
            ):
                continue
            company = companies[index % len(companies)]
            created |= Warehouse.with_company(company).create(
                {
                    "name": f"Scale warehouse {index}",
                    "code": code,
                    "company_id": company.id,
                }
            )
        if hasattr(created, "action_distrib_create_status_locations"):
            created.action_distrib_create_status_locations()
        self.log(f"{len(created)} warehouses created in {time.time() - started:.1f} s")
        started = time.time()
        Quant = self.env["stock.quant"].sudo()
        step = max(len(products) // INVENTORY_PRODUCTS, 1)
        for position, warehouse in enumerate(created):
            chosen = products[position % step :: step][:INVENTORY_PRODUCTS]
            chosen = chosen.filtered(
                lambda p, c=warehouse.company_id: not p.company_id or p.company_id == c
            )
            quants = Quant.with_company(warehouse.company_id).with_context(
                inventory_mode=True
            )
            quants = quants.create(
                [
                    {
                        "product_id": product.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "inventory_quantity": 10 + (product.id * 7 + position) % 90,
                    }
                    for product in chosen
                ]
            )
            quants._apply_inventory()
        self.env.flush_all()
        self.log(
            f"inventory of {INVENTORY_PRODUCTS} products applied in each new "
            f"warehouse in {time.time() - started:.1f} s"
        )

    def run(self, commit=True):
        """Scale the database; ``commit=False`` leaves the transaction open
        (tests/test_scenario.py scales the scenario it built, then rolls back)."""
        self.log(f"scaling {self.cr.dbname} x{self.scale}")
        if self.scale > 1:
            self.copy_history()
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            self.reseal_events()
            self.add_warehouses()
        if commit:
            self.cr.commit()
            self.log("committed")


def check(cr, scale=None):
    """Rows per table, quants against done moves, reservations against move lines.

    :return: the number of inconsistent (product, location) pairs
    """
    cr.execute(
        """SELECT relname, n_live_tup FROM pg_stat_user_tables
            WHERE relname = ANY(%s) ORDER BY relname""",
        [
            [
                "product_product",
                "res_partner",
                "stock_warehouse",
                "stock_location",
                "sale_order",
                "sale_order_line",
                "purchase_order",
                "purchase_order_line",
                "stock_picking",
                "stock_move",
                "stock_move_line",
                "stock_quant",
                "stock_valuation_layer",
                "account_move",
                "account_move_line",
                "distrib_exception",
                "distrib_order_event",
                "distrib_ai_alert",
            ]
        ],
    )
    counts = dict(cr.fetchall())
    for table in counts:
        cr.execute(f"SELECT COUNT(*) FROM {table}")  # exact, not the estimate
        counts[table] = cr.fetchone()[0]
    print(f"{'table':<28}{'rows':>12}")
    for table, count in counts.items():
        print(f"{table:<28}{count:>12,}")
    cr.execute(
        """
        WITH ml AS (
            SELECT product_id, location_id AS loc, -quantity_product_uom AS q
              FROM stock_move_line WHERE state = 'done'
             UNION ALL
            SELECT product_id, location_dest_id, quantity_product_uom
              FROM stock_move_line WHERE state = 'done'
        ), mv AS (
            SELECT ml.product_id, ml.loc, SUM(q) AS q FROM ml
              JOIN stock_location l ON l.id = ml.loc
                                   AND l.usage IN ('internal', 'transit')
             GROUP BY 1, 2
        ), qt AS (
            SELECT q.product_id, q.location_id AS loc, SUM(q.quantity) AS q
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
                                   AND l.usage IN ('internal', 'transit')
             GROUP BY 1, 2
        )
        SELECT COUNT(*), COUNT(*) FILTER (
                   WHERE ABS(COALESCE(mv.q, 0) - COALESCE(qt.q, 0)) > 0.001)
          FROM mv FULL JOIN qt USING (product_id, loc)
        """
    )
    pairs, stock_bad = cr.fetchone()
    cr.execute(
        """
        WITH r AS (
            SELECT ml.product_id, ml.location_id AS loc,
                   COALESCE(ml.lot_id, 0) AS lot, COALESCE(ml.package_id, 0) AS pack,
                   SUM(ml.quantity_product_uom) AS q
              FROM stock_move_line ml
              JOIN stock_location l ON l.id = ml.location_id
                                   AND l.usage IN ('internal', 'transit')
             WHERE ml.state NOT IN ('done', 'cancel')
             GROUP BY 1, 2, 3, 4
        ), qt AS (
            SELECT q.product_id, q.location_id AS loc, COALESCE(q.lot_id, 0) AS lot,
                   COALESCE(q.package_id, 0) AS pack, SUM(q.reserved_quantity) AS q
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
                                   AND l.usage IN ('internal', 'transit')
             GROUP BY 1, 2, 3, 4
        )
        SELECT COUNT(*), COUNT(*) FILTER (
                   WHERE ABS(COALESCE(r.q, 0) - COALESCE(qt.q, 0)) > 0.001)
          FROM r FULL JOIN qt USING (product_id, loc, lot, pack)
        """
    )
    reservations, reservation_bad = cr.fetchone()
    cr.execute(
        """SELECT COUNT(*) FROM (
               SELECT name, company_id FROM stock_picking
                GROUP BY 1, 2 HAVING COUNT(*) > 1) dup"""
    )
    duplicate_pickings = cr.fetchone()[0]
    cr.execute(
        """SELECT COUNT(*) FROM (
               SELECT company_id, name FROM sale_order
                GROUP BY 1, 2 HAVING COUNT(*) > 1) dup"""
    )
    duplicate_orders = cr.fetchone()[0]
    print(
        f"quants vs done moves: {pairs:,} product/location pairs, "
        f"{stock_bad} differ\n"
        f"reservations vs move lines: {reservations:,} quant keys, "
        f"{reservation_bad} differ\n"
        f"duplicate picking names: {duplicate_pickings}; duplicate order names: "
        f"{duplicate_orders}"
    )
    return stock_bad, reservation_bad, duplicate_pickings + duplicate_orders


# ----------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--source", default=os.environ.get("DEMO_DB", "distrib_demo"))
    parser.add_argument(
        "--check", action="store_true", help="only check an existing database"
    )
    parser.add_argument(
        "--no-update",
        dest="update",
        action="store_false",
        help="do not update the copy's distrib addons to the code first",
    )
    parser.add_argument(
        "--baseline",
        help="a database whose inconsistencies the checked one may repeat "
        "SCALE times (the source scenario)",
    )
    args = parser.parse_args()
    env = pg_env()
    if args.check:
        import psycopg2

        def run_check(db):
            connection = psycopg2.connect(
                dbname=db,
                host=env["PGHOST"],
                port=env["PGPORT"],
                user=env["PGUSER"],
                password=env["PGPASSWORD"],
            )
            try:
                print(f"== {db}")
                return check(connection.cursor())
            finally:
                connection.close()

        found = run_check(args.db)
        allowed = (0, 0, 0)
        if args.baseline:
            base = run_check(args.baseline)
            allowed = (base[0] * args.scale, base[1] * args.scale, base[2])
        ok = all(f <= a for f, a in zip(found, allowed, strict=True))
        print(
            "consistent"
            + (
                f" (the baseline's own {allowed[0]} stock / {allowed[1]} "
                "reservation differences, copied, are allowed)"
                if args.baseline
                else ""
            )
            if ok
            else "INCONSISTENT"
        )
        sys.exit(0 if ok else 1)
    started = time.time()
    print(f"== copying {args.source} to {args.db}")
    subprocess.run(["dropdb", "--if-exists", args.db], env=env, check=True)
    subprocess.run(["createdb", "-T", args.source, args.db], env=env, check=True)
    # the attachments (menu icons, assets) live in the filestore, beside it
    filestore = os.path.join(
        os.environ.get("ODOO_DATA_DIR") or os.path.join(HERE, "..", ".tmp", "data"),
        "filestore",
    )
    shutil.rmtree(os.path.join(filestore, args.db), ignore_errors=True)
    if os.path.isdir(os.path.join(filestore, args.source)):
        shutil.copytree(
            os.path.join(filestore, args.source), os.path.join(filestore, args.db)
        )
    print(f"   copied in {time.time() - started:.1f} s")
    if args.update:
        # the copy's schema follows the code before it grows
        update = time.time()
        installed = subprocess.run(
            [
                "psql",
                "-d",
                args.db,
                "-Atc",
                "SELECT string_agg(name, ',') FROM ir_module_module "
                "WHERE state = 'installed' AND name LIKE 'distrib%'",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        subprocess.run(
            [
                os.path.join(HERE, "odoo.sh"),
                "-d",
                args.db,
                "-u",
                installed,
                "--stop-after-init",
                "--log-level=warn",
            ],
            env=env,
            check=True,
        )
        print(f"   {installed} updated in {time.time() - update:.1f} s")
    subprocess.run(
        [
            os.path.join(HERE, "odoo_shell.sh"),
            args.db,
            os.path.abspath(__file__),
            str(args.scale),
        ],
        env=env,
        check=True,
    )
    vacuum = time.time()
    subprocess.run(["vacuumdb", "--analyze", "--quiet", args.db], env=env, check=True)
    print(f"   vacuum analyze {time.time() - vacuum:.1f} s")
    print(f"== {args.db} built x{args.scale} in {time.time() - started:.1f} s")
    sys.exit(
        subprocess.run(
            [
                sys.executable,
                os.path.abspath(__file__),
                "--db",
                args.db,
                "--check",
                "--scale",
                str(args.scale),
                "--baseline",
                args.source,
            ],
            env=env,
            check=False,
        ).returncode
    )


if "env" in globals():  # run by tools/odoo_shell.sh
    Scaler(globals()["env"], int(os.environ.get("DISTRIB_SCRIPT_ARGS") or 10)).run()
elif __name__ == "__main__":
    main()
