#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and files folder.
# Usage: scripts/restore.sh BACKUP_PREFIX   (e.g. /backups/qip-20260101T020000Z)
# Reads DATABASE_URL and PRIVATE_MEDIA_ROOT. Checks the checksums first; stops on any error.
set -euo pipefail
prefix=${1:?usage: scripts/restore.sh BACKUP_PREFIX}
: "${DATABASE_URL:?set DATABASE_URL}" "${PRIVATE_MEDIA_ROOT:?set PRIVATE_MEDIA_ROOT}"
dir=$(dirname "$prefix"); stamp=${prefix##*/qip-}
(cd "$dir" && sha256sum --check --quiet "qip-$stamp.sha256")
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$DATABASE_URL" "$dir/qip-$stamp.dump"
mkdir -p "$PRIVATE_MEDIA_ROOT"
tar -C "$PRIVATE_MEDIA_ROOT" -xzf "$dir/qip-files-$stamp.tar.gz"
echo "Restored $prefix"
