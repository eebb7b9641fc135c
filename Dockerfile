# The production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/srv/var MEDIA_ROOT=/srv/media STATIC_ROOT=/srv/static
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && DJANGO_SETTINGS_MODULE=mengtao.settings_production SECRET_KEY=build-only ALLOWED_HOSTS=build \
       python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --home /srv mengtao && mkdir -p /srv/var /srv/media && chown -R mengtao /srv

USER mengtao
EXPOSE 8000
CMD ["gunicorn", "mengtao.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "4", "--access-logfile", "-"]
