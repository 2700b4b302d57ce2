from odoo.tools import SQL

# The exception types and approval metrics of the order checks moved to
# distrib_orchestration, those of the detectors to distrib_ai_alerts. Their
# selection values change owner (external id) before this addon updates:
# otherwise the end of the update would remove them as values this addon no
# longer declares, and with them every exception, rule and policy using them.
MOVED = {
    "distrib_orchestration": {
        ("distrib.exception", "exception_type"): [
            "shortage",
            "order_hold",
            "credit_hold",
            "pricing_margin",
            "negative_margin",
        ],
        ("distrib.exception.rule", "exception_type"): [
            "shortage",
            "order_hold",
            "credit_hold",
            "pricing_margin",
            "negative_margin",
        ],
        ("distrib.approval.policy", "metric"): [
            "margin_percent",
            "discount_percent",
            "credit_over_limit",
        ],
    },
    "distrib_ai_alerts": {
        ("distrib.exception", "exception_type"): ["anomaly"],
        ("distrib.exception.rule", "exception_type"): ["anomaly"],
    },
}


def migrate(cr, version):
    if not version:
        return
    # the customer root cause now comes with the order holds of
    # distrib_orchestration, which declares it under its own name
    cr.execute(
        """
        UPDATE ir_model_data SET module = 'distrib_orchestration'
         WHERE module = 'distrib_exceptions' AND name = 'root_cause_customer'
           AND EXISTS (
                SELECT 1 FROM ir_module_module
                 WHERE name = 'distrib_orchestration'
                   AND state IN ('installed', 'to upgrade')
           )
        """
    )
    for module, fields_values in MOVED.items():
        cr.execute(
            SQL(
                "SELECT 1 FROM ir_module_module WHERE name = %s AND state IN %s",
                module,
                ("installed", "to upgrade"),
            )
        )
        if not cr.fetchone():
            # without the addon, its values are unknown: left as they are
            continue
        names = [
            "selection__{}__{}__{}".format(model.replace(".", "_"), field, value)
            for (model, field), values in fields_values.items()
            for value in values
        ]
        cr.execute(
            SQL(
                """
                UPDATE ir_model_data AS data
                   SET module = %(module)s
                 WHERE data.module = 'distrib_exceptions'
                   AND data.model = 'ir.model.fields.selection'
                   AND data.name IN %(names)s
                   AND NOT EXISTS (
                        SELECT 1 FROM ir_model_data AS other
                         WHERE other.module = %(module)s AND other.name = data.name
                   )
                """,
                module=module,
                names=tuple(names),
            )
        )
        cr.execute(
            SQL(
                """
                DELETE FROM ir_model_data
                 WHERE module = 'distrib_exceptions'
                   AND model = 'ir.model.fields.selection'
                   AND name IN %s
                """,
                tuple(names),
            )
        )
