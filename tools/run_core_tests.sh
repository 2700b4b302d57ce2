#!/usr/bin/env bash
# tools/run_core_tests.sh DB
# Odoo's own sale_stock, purchase_stock and stock_account tests, run with the five
# distrib addons installed: installing the suite must change no existing flow.
#
# Success means the tests really ran: the test server listens on a free port of its
# own (CORE_HTTP_PORT to force one), Odoo must exit with 0, and its final report
# ("N failed, M error(s) of T tests when loading database ...") must show no failure
# and at least MIN_CORE_TESTS tests (475 ran with Odoo 18.0 in 2025).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
db=${1:-distrib_core}
PYTHON=${PYTHON:-python3}
ADDONS=${ADDONS:-$(cd "$here/addons" && ls -d distrib_*/__manifest__.py | cut -d/ -f1 | paste -sd, -)}
CORE=sale_stock,purchase_stock,stock_account
MIN_CORE_TESTS=${MIN_CORE_TESTS:-400}
export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-odoo}
export PGPASSWORD=${DB_PASSWORD:-odoo}
log=.tmp/core-tests-$db.log
mkdir -p .tmp
port=${CORE_HTTP_PORT:-$("$PYTHON" tools/odoo_env.py free-port)} || exit 1
dropdb --if-exists "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
echo "== installing $CORE and $ADDONS into $db"
tools/odoo.sh -d "$db" -i "$CORE,$ADDONS" --stop-after-init --log-level=warn \
  --without-demo=all --http-port="$port" || {
  echo "error: installing $CORE and $ADDONS into $db failed (log above)."
  exit 1
}
echo "== running Odoo's $CORE tests with distrib installed (test server on port $port)"
tools/odoo.sh -d "$db" -u "$CORE" --test-enable --stop-after-init --log-level=test \
  --http-port="$port" --test-tags="/sale_stock,/purchase_stock,/stock_account" 2>&1 |
  tee "$log"
rc=${PIPESTATUS[0]}
if grep -q "Address already in use" "$log"; then
  echo "error: no test ran: the test server could not listen on port $port" \
    "(Address already in use); free it or set CORE_HTTP_PORT to a free port."
  exit 1
fi
report=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database" "$log" | tail -n 1)
if [ -z "$report" ]; then
  echo "error: no test report in $log (Odoo exited with $rc before running the" \
    "tests): Odoo's own tests did not run."
  exit 1
fi
read -r failed errors total < <(echo "$report" | sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/')
if [ "$failed" != 0 ] || [ "$errors" != 0 ] || grep -qE "(ERROR|FAIL): " "$log"; then
  grep -E "(ERROR|FAIL)" "$log" | head -40
  echo "error: Odoo's own tests fail with distrib installed ($report)."
  exit 1
fi
if [ "$rc" != 0 ]; then
  echo "error: Odoo exited with $rc after its tests ($report); see $log."
  exit 1
fi
if [ "$total" -lt "$MIN_CORE_TESTS" ]; then
  echo "error: only $total of Odoo's own $CORE tests ran (at least $MIN_CORE_TESTS" \
    "expected): the test run did not really happen; see $log."
  exit 1
fi
echo "Odoo's own $CORE tests pass with distrib installed: $total tests ran, 0 failed."
