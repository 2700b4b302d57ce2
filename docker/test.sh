#!/usr/bin/env bash
# The `test` service (profile `test`, `docker compose run --rm test`): the suite's
# tests in the official odoo:18.0 image, on a fresh database of the `db` service.
# The repository is mounted at /opt/distrib; tools/run_tests.sh finds the image's
# Odoo (its addons and the `odoo` entry point) through tools/odoo_env.py.
set -euo pipefail
export DB_HOST=${HOST:-db} DB_USER=${USER:-odoo} DB_PASSWORD=${PASSWORD:-odoo}
export PGHOST=$DB_HOST PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD
wait-for-psql.py --db_host "$DB_HOST" --db_user "$DB_USER" \
  --db_password "$DB_PASSWORD" --timeout=60
# test-only Python packages (the image has Odoo's own), in the user's site
python3 -m pip install --quiet --user --break-system-packages \
  "odoo-test-helper>=2.1" "pytest-odoo>=2.3" "websocket-client>=1.6" freezegun
export PATH=$HOME/.local/bin:$PATH
cd /opt/distrib
exec tools/run_tests.sh "${TEST_DB:-distrib_test}" "$@"
