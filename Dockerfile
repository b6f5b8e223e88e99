FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=qxs.settings.prod

WORKDIR /app
RUN useradd --create-home --uid 1000 qxs

COPY . .
RUN pip install -e . \
    && DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput \
    && mkdir -p var/media && chown -R qxs:qxs var

USER qxs
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["sh", "-c", "python manage.py collectstatic --noinput -v0 && python manage.py migrate --noinput && python manage.py purge_site && exec gunicorn qxs.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
