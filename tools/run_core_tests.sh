#!/usr/bin/env bash
# tools/run_core_tests.sh DB
# Odoo's own sale_stock, purchase_stock and stock_account tests, run with the five
# distrib addons installed: installing the suite must change no existing flow.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
db=${1:-distrib_core}
ADDONS=${ADDONS:-distrib_atp,distrib_exceptions,distrib_orchestration,distrib_intercompany,distrib_ai_alerts}
CORE=sale_stock,purchase_stock,stock_account
export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-odoo}
export PGPASSWORD=${DB_PASSWORD:-odoo}
mkdir -p .tmp
dropdb --if-exists "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
echo "== installing $CORE and $ADDONS into $db"
tools/odoo.sh -d "$db" -i "$CORE,$ADDONS" --stop-after-init --log-level=warn \
  --without-demo=all || exit 1
echo "== running Odoo's $CORE tests with distrib installed"
tools/odoo.sh -d "$db" -u "$CORE" --test-enable --stop-after-init --log-level=test \
  --test-tags="/sale_stock,/purchase_stock,/stock_account" 2>&1 | tee .tmp/core-tests.log
if grep -qE "(ERROR|FAIL): |[1-9][0-9]* failed|[1-9][0-9]* error" .tmp/core-tests.log; then
  grep -E "(ERROR|FAIL)" .tmp/core-tests.log | head -40
  echo "error: Odoo's own tests fail with distrib installed."
  exit 1
fi
echo "Odoo's own $CORE tests pass with distrib installed."
