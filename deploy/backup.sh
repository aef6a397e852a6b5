#!/bin/sh
# Nightly backup of the compose deployment: the database (pg_dump, custom format) and the
# evidence files (media volume), into ./backups next to docker-compose.yml. Run from cron on the
# host, e.g.  30 2 * * *  /srv/xiqing-credit/deploy/backup.sh >> /var/log/xiqing-backup.log 2>&1
# Copy ./backups off the machine afterwards (docs/operations.md): a backup on the same disk
# does not survive the disk.
set -eu
cd "$(dirname "$0")/.."

stamp=$(date +%Y%m%d-%H%M)
keep_days=${BACKUP_KEEP_DAYS:-35}
mkdir -p backups

# ./backups is mounted at /backups in the postgres container.
docker compose exec -T postgres pg_dump -U xiqing -d xiqing --format=custom --compress=6 \
    --file="/backups/db-$stamp.dump"
# A dump that pg_restore cannot list is not a backup: fail loudly now, not on the day it is needed.
docker compose exec -T postgres pg_restore --list "/backups/db-$stamp.dump" >/dev/null

# Evidence files and import reports, read through the web image (same user as the writers).
docker compose run --rm --no-deps -T --entrypoint tar web -C /data -czf - media \
    >"backups/media-$stamp.tar.gz.part"
mv "backups/media-$stamp.tar.gz.part" "backups/media-$stamp.tar.gz"

find backups -name 'db-*.dump' -mtime "+$keep_days" -delete
find backups -name 'media-*.tar.gz' -mtime "+$keep_days" -delete
echo "backup $stamp: $(du -h "backups/db-$stamp.dump" | cut -f1) database, $(du -h "backups/media-$stamp.tar.gz" | cut -f1) media"
