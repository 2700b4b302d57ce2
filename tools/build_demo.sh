#!/usr/bin/env bash
# tools/build_demo.sh DBNAME [SEED]
# Drops DBNAME if it exists, creates it with every addon installed (no Odoo demo
# data; distrib_demo brings the scenario builder), builds the deterministic scenario
# dataset (seed 42 unless told) and prints the counts and the seconds of each step. Called by `make demo-db` / `make demo`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
db=${1:?usage: tools/build_demo.sh DBNAME [SEED]}
seed=${2:-${SEED:-42}}
PYTHON=${PYTHON:-python3}
ADDONS=${ADDONS:-$(cd "$here/addons" && ls -d distrib_*/__manifest__.py | cut -d/ -f1 | paste -sd, -)}
export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-odoo}
export PGPASSWORD=${DB_PASSWORD:-odoo}
mkdir -p "$here/.tmp"
log="$here/.tmp/build_demo-$db.log"

started=$(date +%s)
echo "== dropping $db if it exists"
dropdb --if-exists "$db"
echo "== installing $ADDONS into $db"
if ! tools/odoo.sh -d "$db" -i "$ADDONS" --stop-after-init --without-demo=all \
  --log-level=warn >"$log" 2>&1; then
  tail -n 60 "$log"
  echo "error: installing the addons into $db failed (log: $log)."
  exit 1
fi
installed=$(date +%s)
echo "   installed in $((installed - started)) s"

echo "== building the scenario dataset (seed $seed)"
if ! DISTRIB_SCRIPT_ARGS="$seed" tools/odoo.sh shell -d "$db" --no-http \
  --log-level="${LOG_LEVEL:-warn}" <tools/build_scenario.py 2>>"$log"; then
  tail -n 60 "$log"
  echo "error: building the scenario in $db failed (log: $log)."
  exit 1
fi
# vacuum and fresh planner statistics after the bulk load, as autovacuum would do
vacuumdb --analyze --quiet "$db" || true
built=$(date +%s)
echo "== $db ready: install $((installed - started)) s, scenario $((built - installed)) s," \
  "total $((built - started)) s"
