#!/usr/bin/env bash
# The load test on loopback (issue 7): a fresh PostgreSQL database seeded like the monitoring
# benchmark (benchmarks/load/seed.py), gunicorn with production settings, a real Celery worker on
# Redis, and locust driving a deadline-day mix through a stepped ramp (benchmarks/load/drive.py).
# Starts everything it needs and stops it on exit, failure or interrupt included.
#
#   benchmarks/load/run.sh                      (make bench runs it; variables below)
#   LOAD_STEPS=10:20,50:30 LOAD_WORKERS=3 benchmarks/load/run.sh
#
# Results: $LOAD_OUT/results.json and locust's CSVs per step (step-NNN_stats.csv, _failures.csv).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-.venv/bin}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
LOAD_DB=${LOAD_DB:-corett_load}
LOAD_BROKER_URL=${LOAD_BROKER_URL:-redis://127.0.0.1:6379/9}
LOAD_PORT=${LOAD_PORT:-8097}
LOAD_WORKERS=${LOAD_WORKERS:-$((2 * $(nproc) + 1))}
LOAD_STEPS=${LOAD_STEPS:-5:30,10:30,25:30,50:60,75:30,100:30,150:30}
LOAD_WAIT=${LOAD_WAIT:-1,5}
LOAD_OUT=${LOAD_OUT:-$(mktemp -d /tmp/corett-load.XXXXXX)}
# Scheduling priority of gunicorn, the worker and locust: on a machine shared with other work,
# e.g. LOAD_NICE=-10 (root only) keeps that work from taking the cores the figures are about.
# The kernel shares CPU between sessions first (autogroups), so it is set on the session of each
# (gunicorn and the worker run in sessions of their own; locust in this script's), besides nice.
# PostgreSQL keeps its own. The document says which was used.
LOAD_NICE=${LOAD_NICE:-${BENCH_NICE:-0}}
prioritise() {
  [ "$LOAD_NICE" = 0 ] && return 0
  for _ in $(seq 50); do  # once setsid has given it its own session (field 6 of stat)
    [ "$1" = $$ ] || [ "$(cut -d' ' -f6 "/proc/$1/stat" 2>/dev/null)" = "$1" ] && break
    sleep 0.1
  done
  echo "$LOAD_NICE" >"/proc/$1/autogroup" 2>/dev/null || echo "could not set the priority of $1" >&2
}
prioritise $$
export PGHOST PGPORT PGUSER LOAD_WAIT

# Production settings: DEBUG off (so no demo mode: the secretariat signs in with TOTP), a secret
# key, the loopback host. HTTPS is what a proxy in front would terminate: the locustfile sends
# X-Forwarded-Proto as that proxy would, so SECURE_SSL_REDIRECT, HSTS and Secure cookies stay on.
# E-mail notices go through the worker to a dummy backend (no SMTP server here).
export DEBUG=false
export SECRET_KEY=${LOAD_SECRET_KEY:-load-test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${LOAD_DB}"
export CELERY_BROKER_URL=$LOAD_BROKER_URL
export CACHE_URL=${LOAD_CACHE_URL:-redis://127.0.0.1:6379/8}  # shared by the processes, as in production
export MEDIA_ROOT=$LOAD_OUT/media
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export LOG_LEVEL=WARNING
mkdir -p "$MEDIA_ROOT"

# Each server runs in a process group of its own (setsid), stopped whole: gunicorn's and Celery's
# workers with their masters. TERM first (Celery finishes the task in hand), KILL after 20 s.
started=()
stop_all() {
  for pid in "${started[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do
    for _ in $(seq 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null "http://127.0.0.1:${LOAD_PORT}/"; then
  echo "Port ${LOAD_PORT} is taken: set LOAD_PORT to a free one." >&2
  exit 1
fi

echo "== load test: fresh database ${LOAD_DB}, seeded like the monitoring benchmark"
dropdb --if-exists --force "$LOAD_DB"
createdb "$LOAD_DB"
"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py load_strategy -v 0
"$BIN/python" manage.py collectstatic --noinput -v 0  # hashed, compressed names, as in production
"$BIN/python" benchmarks/load/seed.py --manifest "$LOAD_OUT/manifest.json"

# Redis dbs of the load test only: drop tasks and cached entries left by an earlier run.
for url in "$LOAD_BROKER_URL" "$CACHE_URL"; do
  "$BIN/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$url"
done

echo "== starting a Celery worker and gunicorn (${LOAD_WORKERS} workers) on 127.0.0.1:${LOAD_PORT}"
nice -n "$LOAD_NICE" setsid "$BIN/celery" -A corett worker --loglevel=WARNING --max-tasks-per-child=50 \
  >"$LOAD_OUT/celery.log" 2>&1 &
celery_pid=$!
disown "$celery_pid"
prioritise "$celery_pid"
started+=("$celery_pid")
nice -n "$LOAD_NICE" setsid "$BIN/gunicorn" corett.wsgi:application --bind "127.0.0.1:${LOAD_PORT}" \
  --workers "$LOAD_WORKERS" --error-logfile - >"$LOAD_OUT/gunicorn.log" 2>&1 &
gunicorn_pid=$!
disown "$gunicorn_pid"
prioritise "$gunicorn_pid"
started+=("$gunicorn_pid")

for _ in $(seq 60); do
  curl -sf -o /dev/null "http://127.0.0.1:${LOAD_PORT}/healthz" && break
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$LOAD_OUT/gunicorn.log" >&2; exit 1; }
  sleep 0.5
done
health=$(curl -s "http://127.0.0.1:${LOAD_PORT}/readyz")  # /healthz says only that the process answers
echo "readyz: $health"
case "$health" in *'"broker": "ok"'*) ;; *) echo "The broker is not reachable." >&2; exit 1 ;; esac

echo "== locust: steps ${LOAD_STEPS} (users:seconds), think time ${LOAD_WAIT} s; results in ${LOAD_OUT}"
(cd benchmarks/load && LOAD_MANIFEST="$LOAD_OUT/manifest.json" nice -n "$LOAD_NICE" "../../$BIN/python" drive.py \
  --host "http://127.0.0.1:${LOAD_PORT}" --out "$LOAD_OUT" --steps "$LOAD_STEPS" \
  --gunicorn-pid "$gunicorn_pid" --celery-pid "$celery_pid" --database "$LOAD_DB")

# Server errors logged while under load (gunicorn prints Django's tracebacks at ERROR).
grep -c "Traceback" "$LOAD_OUT/gunicorn.log" >"$LOAD_OUT/server_tracebacks" || true
echo "server tracebacks logged: $(cat "$LOAD_OUT/server_tracebacks")"
echo "$LOAD_WORKERS" >"$LOAD_OUT/workers"
echo "$LOAD_NICE" >"$LOAD_OUT/nice"
