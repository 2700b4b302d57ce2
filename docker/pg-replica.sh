#!/usr/bin/env bash
# The `db-replica` service (profile `scale`): a hot-standby streaming replica of
# `db`. First start: pg_basebackup -R from the primary (writes primary_conninfo and
# standby.signal); then PostgreSQL in recovery, answering read-only queries. Odoo's
# workers send the calls of @api.readonly methods to it (db_replica_host).
set -euo pipefail
export PGPASSWORD=${POSTGRES_PASSWORD:-odoo}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "${PRIMARY_HOST:-db}" -U "${POSTGRES_USER:-odoo}" -d postgres; do
    sleep 1
  done
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pg_basebackup -h "${PRIMARY_HOST:-db}" -U "${POSTGRES_USER:-odoo}" -D "$PGDATA" \
    -R -X stream -c fast
fi
exec postgres -D "$PGDATA" -c hot_standby=on -c hot_standby_feedback=on
