#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh into a PostgreSQL database, then
# verify the result.
#
#   deploy/restore.sh DUMP_FILE TARGET_DATABASE_URL
#   deploy/restore.sh --verify DUMP_FILE TARGET_DATABASE_URL   # verify only
#
# The target database must exist (createdb, or CREATE DATABASE). Objects of
# the dump that already exist there are dropped first (--clean --if-exists),
# so restoring over a damaged database works too; ownership and grants are
# not restored (--no-owner --no-privileges): the connecting role owns what
# it restores. Everything runs in one transaction: on any error, nothing
# changes. Stop the service (or scale it to 0) before restoring over the
# live database.
#
# Verification (needs psql): every table of the dump exists in the target,
# the migrations table lists applied migrations, and each table's row count
# is printed. On success the last line on stdout is
#   verified: N tables, M migrations (latest NAME)
# and any failure exits non-zero.
set -euo pipefail

log() { echo "restore: $*" >&2; }
die() { log "$*"; exit 1; }

verify_only=false
if [[ "${1:-}" == "--verify" ]]; then
  verify_only=true
  shift
fi
[[ $# -eq 2 ]] || die "usage: restore.sh [--verify] DUMP_FILE TARGET_DATABASE_URL"
dump=$1
target=$2
[[ -f "$dump" ]] || die "$dump: no such file"
case "$target" in
  postgres://*|postgresql://*) ;;
  *) die "TARGET_DATABASE_URL must be postgres://…" ;;
esac
command -v pg_restore >/dev/null || die "pg_restore not found (install postgresql-client)"
command -v psql >/dev/null || die "psql not found (install postgresql-client): the restore is verified with it"

toc=$(pg_restore --list "$dump") || die "$dump is not a pg_dump custom-format archive"
if ! $verify_only; then
  log "restoring $dump"
  pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$target" "$dump"
fi

# The tables the dump holds: TOC lines "ID; OID OID TABLE schema name owner".
mapfile -t tables < <(awk '$4 == "TABLE" && $5 != "DATA" { print $5 "." $6 }' <<<"$toc" | sort -u)
(( ${#tables[@]} > 0 )) || die "verify: the dump lists no table"
psql_q() { psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --dbname="$target" -c "$1"; }
missing=()
for t in "${tables[@]}"; do
  if [[ "$(psql_q "SELECT to_regclass('$t') IS NOT NULL")" != "t" ]]; then
    missing+=("$t")
    continue
  fi
  log "verify: $t: $(psql_q "SELECT count(*) FROM $t") rows"
done
(( ${#missing[@]} == 0 )) || die "verify: tables of the dump missing from the target: ${missing[*]}"
migrations=$(psql_q "SELECT count(*) FROM public.bun_migrations") || die "verify: no bun_migrations table in the target"
(( migrations > 0 )) || die "verify: bun_migrations is empty: the dump does not hold an applied schema"
latest=$(psql_q "SELECT name FROM public.bun_migrations ORDER BY name DESC LIMIT 1")
echo "verified: ${#tables[@]} tables, $migrations migrations (latest $latest)"
$verify_only || log "done; start the service on the restored database (it migrates any newer schema on start)"
