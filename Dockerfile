# The production image: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint (board papers as PDF) needs Pango and HarfBuzz.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install . && useradd --create-home --uid 1000 qip \
 && mkdir -p /app/private /app/staticfiles && chown -R qip:qip /app/private /app/staticfiles
RUN DEBUG=true python manage.py collectstatic --noinput

USER qip
EXPOSE 8000
CMD ["gunicorn", "qip.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
