#!/usr/bin/env bash
# Back up the chuyenhoa PostgreSQL database (and, optionally, the
# attachments directory) into BACKUP_DIR, then apply retention.
#
#   CHUYENHOA_DATABASE_URL=postgres://… BACKUP_DIR=/var/backups/chuyenhoa deploy/backup.sh
#
# Environment:
#   CHUYENHOA_DATABASE_URL  database to dump (required; postgres://…)
#   BACKUP_DIR              where dumps go (default ./backups), created if missing
#   BACKUP_KEEP_DAYS        delete backups older than this many days (default 14)
#   BACKUP_KEEP_MIN         but always keep at least this many newest (default 7)
#   BACKUP_ATTACHMENTS_DIR  also archive this directory (CHUYENHOA_DATA_DIR) as .tar.gz
#
# Files: chuyenhoa-YYYYmmddTHHMMSSZ.dump (pg_dump custom format, restore with
# deploy/restore.sh) and chuyenhoa-YYYYmmddTHHMMSSZ.attachments.tar.gz. A
# file appears under its final name only once complete. Prints the dump's
# path on stdout.
set -euo pipefail

log() { echo "backup: $*" >&2; }
die() { log "$*"; exit 1; }

url=${CHUYENHOA_DATABASE_URL:-}
dir=${BACKUP_DIR:-./backups}
keep_days=${BACKUP_KEEP_DAYS:-14}
keep_min=${BACKUP_KEEP_MIN:-7}
attachments=${BACKUP_ATTACHMENTS_DIR:-}

case "$url" in
  postgres://*|postgresql://*) ;;
  "") die "CHUYENHOA_DATABASE_URL is not set" ;;
  *) die "CHUYENHOA_DATABASE_URL must be postgres://… (an SQLite install is backed up by copying CHUYENHOA_DATA_DIR while stopped)" ;;
esac
[[ "$keep_days" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_DAYS must be a whole number of days"
[[ "$keep_min" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_MIN must be a whole number"
command -v pg_dump >/dev/null || die "pg_dump not found (install postgresql-client of the server's major version or newer)"

umask 077
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$dir/chuyenhoa-$stamp.dump"
[[ -e "$dump" ]] && die "$dump already exists"

cleanup() { rm -f "$dump.partial" "$dir/chuyenhoa-$stamp.attachments.tar.gz.partial"; }
trap cleanup EXIT

log "dumping to $dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dump.partial" --dbname="$url"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$dump.partial" >/dev/null
mv "$dump.partial" "$dump"

# Before the first upload the attachments directory may not exist yet:
# nothing to archive, and no reason to skip retention or fail the job.
if [[ -n "$attachments" && ! -e "$attachments" ]]; then
  log "BACKUP_ATTACHMENTS_DIR=$attachments does not exist yet (no upload so far): no attachments archive"
elif [[ -n "$attachments" ]]; then
  [[ -d "$attachments" ]] || die "BACKUP_ATTACHMENTS_DIR=$attachments is not a directory"
  tarball="$dir/chuyenhoa-$stamp.attachments.tar.gz"
  log "archiving $attachments to $tarball"
  tar -czf "$tarball.partial" -C "$attachments" .
  mv "$tarball.partial" "$tarball"
fi

# Retention: of the dumps (newest first), keep the newest keep_min whatever
# their age, and delete the rest once older than keep_days. An attachments
# archive goes with its dump.
# (A glob, not find -printf: the script also runs in busybox images.)
shopt -s nullglob
dumps=("$dir"/chuyenhoa-*.dump)   # sorted oldest first: the names hold the time
now=$(date +%s)
for (( i = ${#dumps[@]} - 1 - keep_min; i >= 0; i-- )); do
  f=${dumps[$i]}
  age_days=$(( (now - $(stat -c %Y "$f")) / 86400 ))
  if (( age_days >= keep_days )); then
    log "deleting ${f##*/} (${age_days} days old)"
    rm -f "$f" "${f%.dump}.attachments.tar.gz"
  fi
done

echo "$dump"
