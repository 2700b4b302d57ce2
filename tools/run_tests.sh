#!/usr/bin/env bash
# tools/run_tests.sh DB [PYTEST ARGS...]
# Fresh database, the five addons installed, every addon's tests and tests/ run with
# pytest-odoo, the database dropped. Exits non-zero on any failure.
#
# While developing:
#   KEEP_DB=1      keep the database afterwards
#   REUSE_DB=1     update (-u) the addons in an existing database instead of a fresh one
#   NO_UPDATE=1    with REUSE_DB=1: not even the update (the code's schema is in the db)
#   TEST_PATHS="addons/distrib_atp/tests tests/test_x.py"   run only these
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
db=${1:-distrib_test}
shift || true
PYTHON=${PYTHON:-python3}
ADDONS=${ADDONS:-$(cd "$here/addons" && ls -d distrib_*/__manifest__.py | cut -d/ -f1 | paste -sd, -)}
export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-odoo}
export PGPASSWORD=${DB_PASSWORD:-odoo}
export DISTRIB_TEST_DB=$db

mkdir -p "$here/.tmp"
if [ "${REUSE_DB:-0}" = 1 ] && psql -lqt | cut -d'|' -f1 | grep -qw "$db"; then
  mode=(-u "$ADDONS")
  KEEP_DB=1
else
  mode=(-i "$ADDONS")
  dropdb --if-exists "$db" >/dev/null
fi
if [ "${KEEP_DB:-0}" != 1 ]; then
  trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
fi
echo "== installing $ADDONS into $db"
start=$(date +%s)
if [ "${REUSE_DB:-0}" = 1 ] && [ "${NO_UPDATE:-0}" = 1 ]; then
  echo "   (NO_UPDATE=1: the addons are not updated)"
elif ! tools/odoo.sh -d "$db" "${mode[@]}" --stop-after-init --log-level=warn \
  --without-demo=all >"$here/.tmp/install-$db.log" 2>&1; then
  tail -n 60 "$here/.tmp/install-$db.log"
  echo "error: installing the addons into $db failed (log above)."
  exit 1
fi
grep -sE "ERROR|CRITICAL" "$here/.tmp/install-$db.log" | head -20
echo "   installed in $(($(date +%s) - start)) s"

addons_path=$("$PYTHON" tools/odoo_env.py addons-path)
# the browser tests' server listens on a free port of its own (two runs side by side
# never share one); TEST_HTTP_PORT forces one
http_port=${TEST_HTTP_PORT:-$("$PYTHON" tools/odoo_env.py free-port)} || exit 1
targets=()
if [ -n "${TEST_PATHS:-}" ]; then
  read -r -a targets <<<"$TEST_PATHS"
else
  for dir in addons/distrib_*/tests addons/distrib_*/*/tests tests; do
    [ -d "$dir" ] && targets+=("$dir")
  done
fi
"$PYTHON" -m pytest -p no:cacheprovider -q -r fEs --durations=15 \
  --odoo-database="$db" --odoo-config="$here/odoo.conf" \
  --odoo-addons-path="$addons_path" --odoo-http --odoo-log-level="${ODOO_LOG_LEVEL:-warn}" \
  --odoo-extra "db_host=$PGHOST" --odoo-extra "db_port=$PGPORT" \
  --odoo-extra "db_user=$PGUSER" --odoo-extra "db_password=$PGPASSWORD" \
  --odoo-extra "data-dir=$here/.tmp/data" --odoo-extra "http-port=$http_port" \
  --odoo-extra "log-handler=odoo.tests.common:CRITICAL" \
  "${targets[@]}" "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "error: pytest collected no test."
fi
exit $rc
