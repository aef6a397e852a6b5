#!/bin/sh
# Container entrypoint. `web` (the default) migrates the database, then serves with gunicorn;
# anything else is run as given (the worker and beat commands of docker-compose.yml,
# `python manage.py ...` for one-off administration).
set -eu
cd /app

if [ "${1:-web}" = "web" ]; then
    # Migrations are idempotent; only the web service runs them, worker and beat wait for it
    # to become healthy (docker-compose.yml).
    python manage.py migrate --no-input
    exec gunicorn --config deploy/gunicorn.conf.py xiqing_credit.wsgi:application
fi

exec "$@"
