#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh into a PostgreSQL database.
#
#   deploy/restore.sh DUMP_FILE TARGET_DATABASE_URL
#
# The target database must exist (createdb, or CREATE DATABASE). Objects of
# the dump that already exist there are dropped first (--clean --if-exists),
# so restoring over a damaged database works too; ownership and grants are
# not restored (--no-owner --no-privileges): the connecting role owns what
# it restores. Everything runs in one transaction: on any error, nothing
# changes. Stop the service (or scale it to 0) before restoring over the
# live database.
set -euo pipefail

log() { echo "restore: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $# -eq 2 ]] || die "usage: restore.sh DUMP_FILE TARGET_DATABASE_URL"
dump=$1
target=$2
[[ -f "$dump" ]] || die "$dump: no such file"
case "$target" in
  postgres://*|postgresql://*) ;;
  *) die "TARGET_DATABASE_URL must be postgres://…" ;;
esac
command -v pg_restore >/dev/null || die "pg_restore not found (install postgresql-client)"

pg_restore --list "$dump" >/dev/null || die "$dump is not a pg_dump custom-format archive"
log "restoring $dump"
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$target" "$dump"
log "done; start the service on the restored database (it migrates any newer schema on start)"
