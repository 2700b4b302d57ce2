#!/usr/bin/env bash
# tools/pg_replica.sh start|stop|status|lag
#
# A local streaming replica (hot standby) of the PostgreSQL server at
# $DB_HOST:$DB_PORT, on port ${REPLICA_PORT:-5433}: a second cluster made by
# `pg_basebackup -R` (which writes primary_conninfo and standby.signal), started
# with hot_standby=on. Odoo then sends the calls of @api.readonly methods to it:
#
#   tools/pg_replica.sh start
#   tools/odoo.sh -d DB --workers 4 --db_replica_host=127.0.0.1 --db_replica_port=5433
#   tools/pg_replica.sh stop        # stops it and deletes its data directory
#
# The primary must accept replication connections from 127.0.0.1 (a
# `host replication ...` line in pg_hba.conf) and have wal_level replica (the
# default) and max_wal_senders > 0. When the line is missing and the primary's
# pg_hba.conf is on this machine (PRIMARY_HBA), `start` appends
#   host replication all 127.0.0.1/32 trust
# and reloads the primary's configuration (SELECT pg_reload_conf()); `stop` takes
# the line back. Nothing else of the primary changes. The replica copies the whole cluster (every database).
# Run as root (the cluster runs as the postgres system user) or as postgres.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-status}
export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-odoo}
export PGPASSWORD=${DB_PASSWORD:-odoo}
port=${REPLICA_PORT:-5433}
dir=${REPLICA_DIR:-$here/.tmp/pg_replica}
bin=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
hba=${PRIMARY_HBA:-$(psql -d postgres -Atc "SHOW hba_file" 2>/dev/null || true)}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

replica_sql() {
  psql -h 127.0.0.1 -p "$port" -d postgres -Atc "$1"
}

case $cmd in
start)
  if [ -f "$dir/postmaster.pid" ]; then
    echo "replica already running on port $port ($dir)"
    exit 0
  fi
  allowed=$(psql -d postgres -Atc "SELECT COUNT(*) FROM pg_hba_file_rules
    WHERE 'replication' = ANY(database) AND (address IS NULL OR address = '127.0.0.1')")
  if [ "$allowed" = 0 ]; then
    if [ -n "$hba" ] && [ -w "$hba" ]; then
      echo "== allowing replication connections from 127.0.0.1 in $hba"
      [ -z "$(tail -c1 "$hba")" ] || echo >>"$hba"
      printf '# tools/pg_replica.sh: a local streaming replica\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
      psql -d postgres -Atc "SELECT pg_reload_conf()" >/dev/null
      sleep 1
    else
      echo "error: the primary refuses replication connections; add to its pg_hba.conf:"
      echo "  host replication all 127.0.0.1/32 scram-sha-256   (then SELECT pg_reload_conf())"
      exit 1
    fi
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  started=$(date +%s)
  echo "== pg_basebackup of $PGHOST:$PGPORT into $dir"
  as_postgres env PGPASSWORD="$PGPASSWORD" "$bin/pg_basebackup" -h "$PGHOST" \
    -p "$PGPORT" -U "$PGUSER" -D "$dir" -R -X stream -c fast
  # the primary's configuration may live outside its data directory (Debian):
  # the replica gets its own, small one
  as_postgres tee "$dir/postgresql.conf" >/dev/null <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
max_connections = 200
shared_buffers = 128MB
hot_standby_feedback = on
# a throwaway replica for tests: no fsync (nor the startup sync of the copied
# data directory), so it spares the disk it shares with the primary
fsync = off
EOF
  as_postgres tee "$dir/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_postgres touch "$dir/pg_ident.conf"
  as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/replica.log" -w -t 600 start >/dev/null
  echo "== replica on 127.0.0.1:$port in recovery: $(replica_sql 'SELECT pg_is_in_recovery()')," \
    "ready in $(($(date +%s) - started)) s"
  ;;
stop)
  if [ -f "$dir/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  fi
  rm -rf "$dir"
  # take back the pg_hba.conf line `start` added, if it did
  if [ -n "$hba" ] && [ -w "$hba" ] && grep -q '^# tools/pg_replica.sh' "$hba"; then
    sed -i '/^# tools\/pg_replica.sh/,+1d' "$hba"
    psql -d postgres -Atc "SELECT pg_reload_conf()" >/dev/null
    echo "replication line removed from $hba"
  fi
  echo "replica stopped and removed"
  ;;
status)
  if [ -f "$dir/postmaster.pid" ]; then
    echo "replica on port $port: in recovery $(replica_sql 'SELECT pg_is_in_recovery()')"
    psql -d postgres -c "SELECT application_name, state, sync_state,
      pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS replay_lag_bytes
      FROM pg_stat_replication"
  else
    echo "no replica running ($dir)"
  fi
  ;;
lag)
  psql -d postgres -Atc "SELECT COALESCE(MAX(pg_wal_lsn_diff(pg_current_wal_lsn(),
    replay_lsn)), -1) FROM pg_stat_replication"
  ;;
*)
  echo "usage: tools/pg_replica.sh start|stop|status|lag" >&2
  exit 2
  ;;
esac
