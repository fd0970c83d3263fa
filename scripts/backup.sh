#!/usr/bin/env bash
# Back up the QIP tracker: the PostgreSQL database and the private files (evidence, issued
# board papers). Usage: scripts/backup.sh DEST_DIR
# Reads DATABASE_URL (postgres://…) and PRIVATE_MEDIA_ROOT from the environment.
set -euo pipefail
dest=${1:?usage: scripts/backup.sh DEST_DIR}
: "${DATABASE_URL:?set DATABASE_URL}" "${PRIVATE_MEDIA_ROOT:?set PRIVATE_MEDIA_ROOT}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dest/qip-$stamp.dump"
mkdir -p "$PRIVATE_MEDIA_ROOT"
tar -C "$PRIVATE_MEDIA_ROOT" -czf "$dest/qip-files-$stamp.tar.gz" .
(cd "$dest" && sha256sum "qip-$stamp.dump" "qip-files-$stamp.tar.gz" > "qip-$stamp.sha256")
echo "$dest/qip-$stamp"
