#!/usr/bin/env bash
# /docker-entrypoint-initdb.d of the `db` service (first start of its volume only):
# let the `db-replica` service of the `scale` profile stream from it
# (pg_basebackup, then WAL). wal_level is `replica` by default in PostgreSQL 16.
set -euo pipefail
echo "host replication all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
