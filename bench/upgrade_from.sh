#!/usr/bin/env bash
# Upgrade check: a PostgreSQL database built and filled with the demo data by an earlier revision, then migrated by
# this checkout. Prints the row count of every table before and after, and fails if any table lost rows or a
# table disappeared without its rows reappearing under the name it moved to.
#
#   bench/upgrade_from.sh [REV]        (default REV: the commit before the move of the audit log to core, 1aeb7a0)
#
# Needs the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth) and `make install` done in this checkout.
set -euo pipefail

REV="${1:-1aeb7a0}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
PY="$HERE/.venv/bin/python"
DB="alumni_upgrade_check"
URL="postgres://postgres@127.0.0.1:5432/$DB"
OLD="$(mktemp -d)"
trap 'git -C "$HERE" worktree remove --force "$OLD" >/dev/null 2>&1 || true; rm -rf "$OLD"' EXIT

git -C "$HERE" worktree add --detach --force "$OLD" "$REV" >/dev/null
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"

counts() {
  psql -h 127.0.0.1 -U postgres -d "$DB" -At -F ' ' -c "
    SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name),
           false, true, '')))[1]::text::bigint
    FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}

echo "== $REV: migrate and load the demo data"
(cd "$OLD" && DATABASE_URL="$URL" "$PY" manage.py migrate --noinput -v 0 && DATABASE_URL="$URL" "$PY" manage.py seed_demo >/dev/null)
counts > "$OLD/before.txt"

echo "== this checkout ($(git -C "$HERE" rev-parse --short HEAD)): migrate the same database"
(cd "$HERE" && DATABASE_URL="$URL" "$PY" manage.py migrate --noinput -v 1 | grep -E "Applying|No migrations" || true)
counts > "$OLD/after.txt"

# Tables that moved: old name -> new name.
declare -A MOVED=(
  [alumni_portal_auditlog]=core_auditlog
  [alumni_portal_notification]=core_notification
  [alumni_portal_notificationpreference]=core_notificationpreference
)
status=0
printf '%-72s %10s %10s\n' table before after
while read -r table before; do
  target="${MOVED[$table]:-$table}"
  after="$(awk -v t="$target" '$1 == t {print $2}' "$OLD/after.txt")"
  label="$table"; [[ "$target" != "$table" ]] && label="$table -> $target"
  printf '%-72s %10s %10s\n' "$label" "$before" "${after:-missing}"
  if [[ -z "$after" || "$after" -lt "$before" ]]; then status=1; fi
done < "$OLD/before.txt"
echo "rows before: $(awk '{s+=$2} END {print s}' "$OLD/before.txt"), after: $(awk '{s+=$2} END {print s}' "$OLD/after.txt")"
psql -h 127.0.0.1 -U postgres -d "$DB" -At -c \
  "SELECT 'content types now core: ' || count(*) FROM django_content_type WHERE app_label = 'core'"
[[ $status -eq 0 ]] && echo "OK: no table lost a row" || echo "FAILED: a table lost rows"
exit $status
