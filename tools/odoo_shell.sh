#!/usr/bin/env bash
# tools/odoo_shell.sh DB SCRIPT [ARGS...]: runs a Python script with `env` bound to DB.
# The script commits itself when it means to; otherwise nothing is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
db=$1
script=$2
shift 2
export DISTRIB_SCRIPT_ARGS="$*"
"$here/tools/odoo.sh" shell -d "$db" --no-http --log-level="${LOG_LEVEL:-warn}" <"$script"
