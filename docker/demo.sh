#!/usr/bin/env bash
# Runs inside the official odoo:18.0 image (see docker-compose.yml): builds the demo
# database once, then serves it.
set -euo pipefail
DB=${DEMO_DB:-distrib_demo}
# distrib_demo (the scenario builder) depends on every runtime addon
ADDONS=distrib_demo
conf=/etc/odoo/odoo.conf
db_args=(--db_host "${HOST:-db}" --db_user "${USER:-odoo}" --db_password "${PASSWORD:-odoo}")
export PGHOST=${HOST:-db} PGUSER=${USER:-odoo} PGPASSWORD=${PASSWORD:-odoo}

wait-for-psql.py "${db_args[@]}" --timeout=60
built=$(psql -d "$DB" -tAc \
  "SELECT value FROM ir_config_parameter WHERE key IN ('distrib_demo.scenario_built', 'distrib_atp.scenario_built') LIMIT 1" \
  2>/dev/null || true)
if [ -z "$built" ]; then
  echo "distrib: building the demo database $DB (first start only) ..."
  dropdb --if-exists "$DB"
  odoo -c "$conf" "${db_args[@]}" -d "$DB" -i "$ADDONS" --stop-after-init \
    --without-demo=all
  odoo shell -c "$conf" "${db_args[@]}" -d "$DB" --no-http --log-level=warn \
    </opt/distrib/tools/build_scenario.py
fi
exec odoo -c "$conf" "${db_args[@]}" -d "$DB" --db-filter="^${DB}\$"
