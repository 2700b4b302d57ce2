from odoo import SUPERUSER_ID, api

# The root causes shipped in noupdate data learn the exception types they
# explain (those an administrator already set are kept).
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
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, types in ROOT_CAUSE_TYPES.items():
        cause = env.ref(f"distrib_exceptions.{xmlid}", raise_if_not_found=False)
        if cause and not cause.exception_types:
            cause.exception_types = types
