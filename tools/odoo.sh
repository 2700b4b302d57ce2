#!/usr/bin/env bash
# Runs odoo with this repository's configuration, database settings and addons path.
#
# Odoo is started through its console entry point (the `odoo` script installed beside
# the Python interpreter, or `odoo-bin` of a source checkout), never `python3 -m odoo`:
# the multi-worker server (--workers) re-launches sys.argv[0] for its websocket
# process, and odoo/__main__.py run as a script fails with a relative-import error.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
addons_path=$("$PYTHON" "$here/tools/odoo_env.py" addons-path)
entry=$("$PYTHON" "$here/tools/odoo_env.py" entry-point)
data_dir=${ODOO_DATA_DIR:-$here/.tmp/data}
mkdir -p "$data_dir"
# an Odoo subcommand (shell, ...) must come before the options
subcommand=()
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
  subcommand=("$1")
  shift
fi
exec "$PYTHON" "$entry" "${subcommand[@]}" -c "$here/odoo.conf" \
  --addons-path="$addons_path" --data-dir="$data_dir" \
  --db_host="${DB_HOST:-127.0.0.1}" --db_port="${DB_PORT:-5432}" \
  --db_user="${DB_USER:-odoo}" --db_password="${DB_PASSWORD:-odoo}" "$@"
