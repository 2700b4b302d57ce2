#!/usr/bin/env bash
# tests/load/run_load.sh SOURCE_DB [SECONDS] [USERS]      (make load DB=... )
#
# Copies SOURCE_DB (a scale database, e.g. h18_scale10) to $LOAD_DB, serves it with
# `odoo --workers 4` on 127.0.0.1:$LOAD_PORT (loopback only, no cron), runs the
# Locust mix of tests/load/locustfile.py headless for SECONDS (default 120) with
# USERS users (default 16), stops the server, and prints per call: requests,
# failures, throughput, p50/p95/p99; the serialization retries Odoo logged; and the
# check of tests/load/check_load.py (nothing promised beyond stock, nothing
# created twice). REPLICA_PORT=5433 sends the @api.readonly calls to the replica
# of tools/pg_replica.sh. KEEP_LOAD_DB=1 keeps the copy.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
source_db=${1:?usage: tests/load/run_load.sh SOURCE_DB [SECONDS] [USERS]}
seconds=${2:-120}
users=${3:-16}
PYTHON=${PYTHON:-python3}
# Locust lives in a virtualenv of its own (.tmp/locust): it pins gevent, greenlet
# and Werkzeug versions that Odoo's own pins would clash with
if [ -z "${LOCUST:-}" ]; then
  venv="$here/.tmp/locust"
  if [ ! -x "$venv/bin/locust" ]; then
    echo "== installing Locust into $venv (first run only)"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "locust>=2.20"
  fi
  LOCUST="$venv/bin/locust"
fi
export LOAD_DB=${LOAD_DB:-${source_db}_load}
port=${LOAD_PORT:-8118}
workers=${LOAD_WORKERS:-4}
export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-odoo}
export PGPASSWORD=${DB_PASSWORD:-odoo}
out="$here/.tmp/load"
mkdir -p "$out"
log="$out/odoo-$LOAD_DB.log"

echo "== copying $source_db to $LOAD_DB"
dropdb --if-exists "$LOAD_DB"
createdb -T "$source_db" "$LOAD_DB"
# the attachments (menu icons, assets) live in the filestore, beside the database
filestore="${ODOO_DATA_DIR:-$here/.tmp/data}/filestore"
rm -rf "${filestore:?}/$LOAD_DB"
if [ -d "$filestore/$source_db" ]; then
  cp -r "$filestore/$source_db" "$filestore/$LOAD_DB"
fi
drop_copy() {
  dropdb --if-exists "$LOAD_DB" >/dev/null 2>&1 || true
  rm -rf "${filestore:?}/$LOAD_DB"
}
if [ "${KEEP_LOAD_DB:-0}" != 1 ]; then
  trap drop_copy EXIT
fi

# the data the users work on: products with stock in the salespeople's
# companies, customers per company, product barcodes for the scans
LOAD_PRODUCTS=$(psql -d "$LOAD_DB" -Atc "
  SELECT json_agg(id) FROM (
    SELECT q.product_id AS id FROM stock_quant q
      JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
      JOIN product_product p ON p.id = q.product_id AND p.active
      JOIN product_template t ON t.id = p.product_tmpl_id AND t.sale_ok
     WHERE t.company_id IS NULL
     GROUP BY 1 ORDER BY SUM(q.quantity - q.reserved_quantity) DESC LIMIT 400) s")
LOAD_PARTNERS=$(psql -d "$LOAD_DB" -Atc "
  SELECT json_object_agg(c.id, (
    SELECT json_agg(id) FROM (
      SELECT p.id FROM res_partner p
       WHERE p.active AND p.customer_rank > 0 AND p.is_company
         AND (p.company_id IS NULL OR p.company_id = c.id)
         AND p.id NOT IN (SELECT partner_id FROM res_company)
       ORDER BY p.id LIMIT 50) s))
    FROM res_company c")
LOAD_BARCODES=$(psql -d "$LOAD_DB" -Atc "
  SELECT COALESCE(json_agg(barcode), '[]') FROM (
    SELECT barcode FROM product_product WHERE barcode IS NOT NULL LIMIT 100) s")
LOAD_HAS_BARCODE=$(psql -d "$LOAD_DB" -Atc "
  SELECT COUNT(*) FROM ir_module_module
   WHERE name = 'distrib_barcode' AND state = 'installed'")
export LOAD_PRODUCTS LOAD_PARTNERS LOAD_BARCODES LOAD_HAS_BARCODE
echo "   $(echo "$LOAD_PRODUCTS" | tr ',' '\n' | wc -l) products," \
  "barcode scans: $([ "$LOAD_HAS_BARCODE" = 1 ] && echo yes || echo no)"

DISTRIB_SCRIPT_ARGS="before $out/promisable-$LOAD_DB.json" \
  tools/odoo.sh shell -d "$LOAD_DB" --no-http --log-level=warn \
  <tests/load/check_load.py

replica=()
if [ -n "${REPLICA_PORT:-}" ]; then
  replica=(--db_replica_host=127.0.0.1 --db_replica_port="$REPLICA_PORT")
  echo "== read-only calls go to the replica on port $REPLICA_PORT"
fi
: >"$log"
echo "== odoo --workers $workers on 127.0.0.1:$port (log $log)"
tools/odoo.sh -d "$LOAD_DB" --db-filter="^$LOAD_DB\$" --workers "$workers" \
  --max-cron-threads 0 --http-interface 127.0.0.1 --http-port "$port" \
  --gevent-port $((port + 1)) --limit-time-real 600 --limit-time-cpu 300 \
  --limit-memory-soft 2147483648 --limit-memory-hard 2684354560 \
  --log-level info --logfile "$log" "${replica[@]}" &
server=$!
stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap 'stop_server; [ "${KEEP_LOAD_DB:-0}" = 1 ] || drop_copy' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/web/health" >/dev/null; then break; fi
  sleep 1
done
# warm every worker's registry before measuring
for _ in $(seq 1 $((workers * 2))); do
  curl -s "http://127.0.0.1:$port/web/login" >/dev/null || true
done

echo "== one call at a time, idle server (dicts against the compact form)"
"$PYTHON" tests/load/rpc_single.py "http://127.0.0.1:$port" "$LOAD_DB" 200 11 |
  grep -v '^{' || true

echo "== locust: $users users, ${seconds}s"
$LOCUST -f tests/load/locustfile.py --headless --only-summary \
  -u "$users" -r "$users" -t "${seconds}s" --host "http://127.0.0.1:$port" \
  --csv "$out/$LOAD_DB" --stop-timeout 30 >"$out/locust-$LOAD_DB.log" 2>&1 || true
stop_server

"$PYTHON" - "$out/${LOAD_DB}_stats.csv" "$seconds" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'call':<52}{'reqs':>7}{'fail':>6}{'req/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}  ms")
for row in rows:
    name = row["Name"] if row["Name"] != "Aggregated" else "ALL CALLS"
    print(
        f"{name[:51]:<52}{row['Request Count']:>7}{row['Failure Count']:>6}"
        f"{float(row['Requests/s']):>7.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
    )
EOF
if [ -s "$out/${LOAD_DB}_failures.csv" ] && [ "$(wc -l <"$out/${LOAD_DB}_failures.csv")" -gt 1 ]; then
  echo "-- failures (first 10):"
  head -n 11 "$out/${LOAD_DB}_failures.csv" | cut -c1-300
fi
echo "serialization retries logged by Odoo: $(grep -c 'tries left, try again' "$log" || true)"
echo "read-only calls retried read/write: $(grep -c 'retrying with a read/write cursor' "$log" || true)"
echo "errors logged by the server: $(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" || true)"
DISTRIB_SCRIPT_ARGS="after $out/promisable-$LOAD_DB.json" \
  tools/odoo.sh shell -d "$LOAD_DB" --no-http --log-level=warn \
  <tests/load/check_load.py
