# Production image: gunicorn + whitenoise for the web process; the same image runs the Celery
# worker and beat (docker-compose.yml). Build: docker build -t xiqing-credit .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=xiqing_credit.settings.base \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media

WORKDIR /app

# Dependencies first, from the pins in pyproject.toml, so code changes reuse this layer.
# Every pinned package ships manylinux wheels: no compiler needed. WeasyPrint (the notice and
# decision letters) needs Pango and the CJK fonts the letters name.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Static files are collected into the image (whitenoise serves them, hashed and compressed).
# Settings refuse to load without a secret: a throwaway one is used for this build step only.
# The translation catalogues (.mo) are committed, so nothing is compiled here.
RUN DJANGO_SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --no-input -v0

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin xiqing \
    && mkdir -p /data/media \
    && chown -R xiqing:xiqing /data/media \
    && chmod +x deploy/entrypoint.sh
USER xiqing

# The web container's health check (deploy/healthcheck.py) is declared in docker-compose.yml:
# worker and beat run from this image too and serve no HTTP.
EXPOSE 8000
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
