#!/usr/bin/env bash
# Run the Studio OS test suite against throwaway services.
#
#   1. installs missing system packages (PostgreSQL, Redis, Chromium, Noto fonts) when root
#   2. starts a private PostgreSQL and Redis on free 127.0.0.1 ports inside a temp dir
#   3. runs pytest against PostgreSQL (as a NOSUPERUSER NOBYPASSRLS role)
#   4. runs the `-m smoke` tests again against SQLite (skipped when PYTEST_ARGS is given)
#
# Everything is torn down on exit (success, failure or Ctrl-C).
#
# Environment in:  VENV (default .venv), PYTEST_ARGS (default "-q -p no:cacheprovider")
# Environment out: TEST_DATABASE_URL, TEST_DATABASE_ADMIN_URL, TEST_REDIS_URL,
#                  CHROMIUM_PATH, APP_ENV=testing   (STUDIO_TEST_DB=sqlite for the smoke run)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT=$PWD

VENV=${VENV:-.venv}
case "$VENV" in /*) ;; *) VENV="$REPO_ROOT/$VENV" ;; esac
PYTEST_ARGS=${PYTEST_ARGS:-}
CHROMIUM_BIN=/usr/bin/chromium

log() { printf '>> %s\n' "$*"; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; exit 1; }

[[ -x "$VENV/bin/pytest" ]] || die "$VENV/bin/pytest not found; run 'make venv' (or 'make test') first"

is_root() { [[ $(id -u) -eq 0 ]]; }

find_pg_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $d/postgres && -x $d/initdb && -x $d/pg_ctl && -x $d/psql && -x $d/pg_isready ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# (no `grep -q` on pipelines: with pipefail an early grep exit SIGPIPEs the producer)
have_noto() { command -v fc-list >/dev/null 2>&1 && fc-list : family 2>/dev/null | grep -i 'noto sans hebrew' >/dev/null; }

# ---------------------------------------------------------------------------
# 1. System packages
# ---------------------------------------------------------------------------
missing=()
find_pg_bin >/dev/null || missing+=(postgresql)
{ command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; } || missing+=(redis-server)
[[ -x $CHROMIUM_BIN ]] || missing+=(chromium)
have_noto || missing+=(fonts-noto-core)

if ((${#missing[@]})); then
    if ! is_root; then
        die "missing system packages: ${missing[*]}
  install them with:  sudo apt-get install -y ${missing[*]}
  (or run this as root and it will install them itself)"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing system packages (${missing[*]}) and apt-get is not available"
    if [[ " ${missing[*]} " == *" postgresql "* ]]; then
        # We run our own throwaway cluster: don't let the package create (and possibly
        # start) the default "main" cluster on :5432.
        mkdir -p /etc/postgresql-common/createcluster.d
        [[ -e /etc/postgresql-common/createcluster.d/00-studio-os-no-main.conf ]] ||
            echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/00-studio-os-no-main.conf
    fi
    log "installing system packages: ${missing[*]} (apt-get; this can take a few minutes)"
    apt_log=$(mktemp /tmp/studio-apt.XXXXXX.log)
    if ! { apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
        </dev/null >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        die "apt-get install ${missing[*]} failed"
    fi
    rm -f "$apt_log"
fi

PG_BIN=$(find_pg_bin) || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
command -v redis-server >/dev/null 2>&1 || die "redis-server not found"
[[ -x $CHROMIUM_BIN ]] || die "$CHROMIUM_BIN not found"

# ---------------------------------------------------------------------------
# 2. Temp dir + cleanup
# ---------------------------------------------------------------------------
TESTENV=$(mktemp -d /tmp/studio-testenv.XXXXXX)
chmod 711 "$TESTENV" # the postgres user must be able to traverse it
PG_DATA=$TESTENV/pgdata
PG_RUN=$TESTENV/pgrun # unix socket dir + server log
PG_STARTED=0
REDIS_PIDFILE=$TESTENV/redis.pid
REDIS_LOG=$TESTENV/redis.log

# Run a PostgreSQL server binary as the postgres user when we are root.
pg_as() {
    if is_root; then
        (cd "$TESTENV" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM HUP
    if ((PG_STARTED)); then
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1
    fi
    if [[ -s $REDIS_PIDFILE ]]; then
        local pid i
        pid=$(cat "$REDIS_PIDFILE")
        if kill "$pid" 2>/dev/null; then
            for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null
        fi
    fi
    rm -rf "$TESTENV"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---------------------------------------------------------------------------
# 3. PostgreSQL
# ---------------------------------------------------------------------------
if is_root; then
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user 'postgres'"
        useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
            --shell /usr/sbin/nologin postgres
    fi
fi

mkdir -p "$PG_DATA" "$PG_RUN"
chmod 700 "$PG_DATA"
is_root && chown postgres: "$PG_DATA" "$PG_RUN"

initdb_pg() {
    local locale=$1
    rm -rf "${PG_DATA:?}"/* 2>/dev/null || true
    pg_as "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres --encoding=UTF8 \
        --locale="$locale" --no-sync >"$TESTENV/initdb.log" 2>&1
}
if ! initdb_pg C.UTF-8; then
    if ! initdb_pg C; then
        cat "$TESTENV/initdb.log" >&2
        die "initdb failed"
    fi
fi

PG_PORT=
for attempt in 1 2 3; do
    port=$(free_port)
    if pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_RUN/postgres.log" -w -t 60 -s \
        -o "-p $port -h 127.0.0.1 -k $PG_RUN -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1; then
        PG_PORT=$port
        PG_STARTED=1
        break
    fi
    # A failed start may still leave a postmaster behind; make sure it's gone.
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
    if ((attempt == 3)); then
        echo "---- postgres log ----" >&2
        cat "$PG_RUN/postgres.log" >&2 2>/dev/null || true
        die "could not start PostgreSQL"
    fi
done

for _ in $(seq 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres && break
    sleep 0.5
done
if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; then
    echo "---- postgres log ----" >&2
    cat "$PG_RUN/postgres.log" >&2 || true
    die "PostgreSQL did not become ready on 127.0.0.1:$PG_PORT"
fi

psql_admin() {
    PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}
if ! psql_admin \
    -c "CREATE ROLE studio_app LOGIN PASSWORD 'studio_app' NOSUPERUSER NOBYPASSRLS CREATEDB;" \
    -c "CREATE DATABASE studio_test OWNER studio_app;" >"$TESTENV/psql.log" 2>&1; then
    cat "$TESTENV/psql.log" >&2
    die "could not create the studio_app role / studio_test database"
fi

export TEST_DATABASE_URL="postgresql+psycopg://studio_app:studio_app@127.0.0.1:$PG_PORT/studio_test"
export TEST_DATABASE_ADMIN_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"

# ---------------------------------------------------------------------------
# 4. Redis
# ---------------------------------------------------------------------------
REDIS_PORT=
for attempt in 1 2 3; do
    port=$(free_port)
    rm -f "$REDIS_PIDFILE"
    if redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" --dir "$TESTENV" \
        >/dev/null 2>&1; then
        for _ in $(seq 50); do
            [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && { REDIS_PORT=$port; break; }
            sleep 0.1
        done
    fi
    [[ -n $REDIS_PORT ]] && break
    # not up: stop whatever may have been started before retrying
    [[ -s $REDIS_PIDFILE ]] && kill "$(cat "$REDIS_PIDFILE")" 2>/dev/null || true
done
if [[ -z $REDIS_PORT ]]; then
    echo "---- redis log ----" >&2
    cat "$REDIS_LOG" >&2 2>/dev/null || true
    die "could not start Redis"
fi
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

# ---------------------------------------------------------------------------
# 5. Environment for the tests
# ---------------------------------------------------------------------------
export CHROMIUM_PATH=$CHROMIUM_BIN
export APP_ENV=testing

log "services up: PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

# ---------------------------------------------------------------------------
# 6. Main run (PostgreSQL)
# ---------------------------------------------------------------------------
explicit_args=0
if [[ -n $PYTEST_ARGS ]]; then
    explicit_args=1
    # eval so that quoting works: PYTEST_ARGS='-k "auth and not slow" -x'
    eval "pytest_args=($PYTEST_ARGS)"
else
    pytest_args=(-q -p no:cacheprovider)
fi

run_pytest() { # label, args...
    local label=$1 rc=0
    shift
    "$VENV/bin/pytest" "$@" || rc=$?
    if ((rc == 5)); then
        echo "test.sh: $label: pytest collected no tests (exit 5) - treating as failure" >&2
        rc=1
    fi
    return "$rc"
}

log "pytest $(printf '%q ' "${pytest_args[@]}") (PostgreSQL)"
main_rc=0
run_pytest "PostgreSQL run" "${pytest_args[@]}" || main_rc=$?

# ---------------------------------------------------------------------------
# 7. SQLite smoke run
# ---------------------------------------------------------------------------
smoke_rc=
if ((explicit_args)); then
    smoke_summary="skipped (PYTEST_ARGS given)"
else
    log "pytest -q -p no:cacheprovider -m smoke  (SQLite)"
    smoke_rc=0
    STUDIO_TEST_DB=sqlite run_pytest "SQLite smoke run" -q -p no:cacheprovider -m smoke || smoke_rc=$?
    if ((smoke_rc == 0)); then smoke_summary="passed"; else smoke_summary="FAILED (exit $smoke_rc)"; fi
fi

if ((main_rc == 0)); then main_summary="passed"; else main_summary="FAILED (exit $main_rc)"; fi

final_rc=$main_rc
if ((final_rc == 0)) && [[ -n $smoke_rc ]] && ((smoke_rc != 0)); then
    final_rc=$smoke_rc
fi

if ((final_rc == 0)); then
    echo "== test.sh: OK - PostgreSQL run $main_summary; SQLite smoke run $smoke_summary =="
else
    echo "== test.sh: FAILED - PostgreSQL run $main_summary; SQLite smoke run $smoke_summary ==" >&2
fi
exit "$final_rc"
