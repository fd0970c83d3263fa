#!/usr/bin/env bash
# The load test (`make load`): the demo trust on PostgreSQL, gunicorn and a Celery worker on
# loopback with Redis, Locust headless (50 users for 60 s by default), then the table and the
# stored-once check. gunicorn and the worker are stopped on the way out, whatever happens.
#
#   DATABASE_URL=postgres://…/qip_load REDIS_URL=redis://127.0.0.1:6379/0 make load
#
# The database is REBUILT (migrate, demo replaced, load passwords set): use one of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${DATABASE_URL:-}" != postgres://* && "${DATABASE_URL:-}" != postgresql://* ]]; then
  echo "make load needs DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/DATABASE (PostgreSQL," >&2
  echo "a database of its own: the demo is rebuilt in it). Got: '${DATABASE_URL:-unset}'." >&2
  exit 2
fi

PY=${VENV:-.venv}/bin
LOCUST=${LOAD_VENV:-.venv-load}/bin/locust
PORT=${LOAD_PORT:-8111}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_DURATION:-60s}
# gunicorn's rule of thumb for a 2-core machine: (2 × cores) + 1 sync workers.
WORKERS=${GUNICORN_WORKERS:-$((2 * $(nproc) + 1))}
OUT=${LOAD_OUT:-load/out}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export QIP_TODAY=2019-04-26 LOAD_PLAN=$OUT/plan.json LOAD_MARKERS=$OUT/markers.tsv
HOST=http://127.0.0.1:$PORT

case "$REDIS_URL" in redis://127.0.0.1* | redis://localhost*) ;; *)
  echo "REDIS_URL must be on loopback for the load test, got $REDIS_URL" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
rm -f "$OUT"/markers.tsv "$OUT"/locust_*.csv

echo "=== Preparing the demo database"
DEBUG=true $PY/python manage.py migrate --noinput -v0
DEBUG=true $PY/python manage.py load_demo --replace >"$OUT/load_demo.log"
DEBUG=true $PY/python load/prepare.py >"$LOAD_PLAN"

# Production settings from here on: DEBUG off, compressed static files, secure cookies.
export DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost LOG_LEVEL=WARNING
SECRET_KEY="load-$(head -c 64 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export SECRET_KEY
$PY/python manage.py collectstatic --noinput -v0

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "=== Starting a Celery worker and gunicorn ($WORKERS workers) on $HOST"
$PY/celery -A qip purge -f >/dev/null
$PY/celery -A qip worker --pool solo --loglevel WARNING >"$OUT/worker.log" 2>&1 &
pids+=($!)
$PY/gunicorn qip.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile "$OUT/access.log" --error-logfile "$OUT/gunicorn.log" \
  --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(L)ss' &
pids+=($!)
for _ in $(seq 1 60); do
  $PY/python - "$HOST" <<'EOF' && break
import sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
try:
    sys.exit(0 if urllib.request.urlopen(request, timeout=2).status == 200 else 1)  # noqa: S310
except OSError:
    sys.exit(1)
EOF
  sleep 1
done

echo "=== Locust: $USERS users for $DURATION"
status=0
$LOCUST -f load/locustfile.py --headless --users "$USERS" --spawn-rate 5 \
  --run-time "$DURATION" --stop-timeout 10 --host "$HOST" --csv "$OUT/locust" \
  --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || status=$?

echo "=== Results"
$PY/python load/report.py "$OUT/locust" || status=1
sleep 2 # let the last commits land
$PY/python load/check_stored.py "$LOAD_MARKERS" || status=1
sent=$($PY/python manage.py shell --no-imports -c "from core.models import OutboxMessage as M; print(M.objects.filter(status='sent', done_at__isnull=False).count(), 'off-track emails sent by the worker;', M.objects.filter(status='pending').count(), 'tasks pending')")
echo "Outbox: $sent"
exit $status
