from odoo.tools import SQL

# The root causes shipped in noupdate data learn the exception types they
# explain (those an administrator already set are kept). Written in SQL: the
# types of distrib_orchestration and distrib_ai_alerts are not loaded yet while
# this addon migrates.
ROOT_CAUSE_TYPES = {
    "root_cause_supplier": "shortage,receipt_variance,unmatched_bill,delayed_receipt",
    "root_cause_pricing": "pricing_margin,negative_margin,unmatched_bill,anomaly",
    "root_cause_stock": "shortage,receipt_variance,cycle_count_variance,anomaly",
    "root_cause_customer": "credit_hold,order_hold,anomaly",
    "root_cause_forecast": "shortage,delayed_receipt,order_hold",
}


def migrate(cr, version):
    if not version:
        return
    for xmlid, types in ROOT_CAUSE_TYPES.items():
        cr.execute(
            SQL(
                """
                UPDATE distrib_exception_root_cause AS cause
                   SET exception_types = %(types)s
                  FROM ir_model_data AS data
                 WHERE data.module IN ('distrib_exceptions', 'distrib_orchestration')
                   AND data.name = %(name)s
                   AND data.model = 'distrib.exception.root.cause'
                   AND data.res_id = cause.id
                   AND COALESCE(cause.exception_types, '') = ''
                """,
                types=types,
                name=xmlid,
            )
        )
