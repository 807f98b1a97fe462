#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg_test_cluster.sh start   create and start a cluster, write var/pg-test.env
#   scripts/pg_test_cluster.sh stop    stop it and delete its directory
#
# The cluster lives in its own `mktemp -d /tmp/anlan-pg.XXXXXX` directory owned by postgres (never
# inside the repository: a checkout may sit under a 0700 root-owned directory postgres cannot enter),
# listens on 127.0.0.1 on a free port, trusts local connections and has one superuser, `anlan`, and
# one database, `anlan`. pytest-django creates `test_anlan` itself. Durability is switched off: the
# data is thrown away. PostgreSQL refuses to run as root, so the server runs as `postgres`.
#
# `start` writes var/pg-test.env:
#   export DATABASE_URL=postgres://anlan@127.0.0.1:PORT/anlan
#   export ANLAN_PG_TEST_DIR=/tmp/anlan-pg.XXXXXX
set -euo pipefail

cd "$(dirname "$0")/.."
ENV_FILE=var/pg-test.env
DB_USER=anlan
DB_NAME=anlan

log() { echo "pg_test_cluster: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The newest installed server, or nothing.
find_bindir() {
    local initdb
    initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$initdb" ] && dirname "$initdb"
}

ensure_server() {
    if [ -z "$(find_bindir)" ]; then
        log "PostgreSQL server not found; installing it with apt-get"
        as_root apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
    fi
    BINDIR=$(find_bindir) || die "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        die "system user 'postgres' is missing (PostgreSQL refuses to run as root)"
    fi
}

# Run a server binary as postgres (as is, when we already are not root). From /, because postgres may
# not be allowed into the current directory (all paths passed are absolute).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
    if [ -f "$ENV_FILE" ]; then
        log "found $ENV_FILE from an earlier run; stopping that cluster first"
        cmd_stop
    fi
    ensure_server

    local dir data port initdb_ok=
    dir=$(mktemp -d /tmp/anlan-pg.XXXXXX)
    data="$dir/data"
    # From here on, a failure removes the half-made cluster.
    PG_DIR=$dir
    trap 'rc=$?; if [ $rc -ne 0 ]; then stop_dir "$PG_DIR"; fi' EXIT
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"

    for locale in C.UTF-8 C; do
        if as_postgres "$BINDIR/initdb" -D "$data" --auth=trust -U "$DB_USER" -E UTF8 --locale="$locale" \
            >"$dir/initdb.log" 2>&1; then
            initdb_ok=1
            break
        fi
        log "initdb with locale $locale failed; see below"
        cat "$dir/initdb.log" >&2
        as_postgres rm -rf "$data"
    done
    [ -n "$initdb_ok" ] || die "initdb failed"

    # The port is free when chosen but could be taken before the server binds it: try a few.
    # pg_ctl hands -o to a shell command line: keep it on one line.
    local started= options
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        # A restore (pg_restore --single-transaction) and the test flushes lock every table at once: with the
        # history tables of #18 they outgrew the default lock table (64 per connection), "out of shared memory".
        options+=" -c max_locks_per_transaction=256"
        if as_postgres "$BINDIR/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 -s -o "$options" start; then
            started=1
            break
        fi
        log "server did not start on port $port; retrying"
    done
    if [ -z "$started" ]; then
        cat "$dir/server.log" >&2 || true
        die "could not start PostgreSQL"
    fi

    local tries=0
    until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$DB_USER"; do
        tries=$((tries + 1))
        [ "$tries" -lt 60 ] || die "PostgreSQL on port $port is not accepting connections"
        sleep 0.5
    done
    "$BINDIR/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"

    local url="postgres://$DB_USER@127.0.0.1:$port/$DB_NAME"
    mkdir -p "$(dirname "$ENV_FILE")"
    {
        echo "# Written by scripts/pg_test_cluster.sh start; removed by stop."
        echo "export DATABASE_URL=$url"
        echo "export ANLAN_PG_TEST_DIR=$dir"
    } >"$ENV_FILE"
    trap - EXIT
    log "$("$BINDIR/postgres" --version) running in $dir on port $port"
    echo "DATABASE_URL=$url"
}

# Stop the server in $1 (if it runs) and delete the directory.
stop_dir() {
    local dir=$1
    case "$dir" in
        /tmp/anlan-pg.*) ;;
        *) die "refusing to delete '$dir': not a /tmp/anlan-pg.* directory" ;;
    esac
    [ -d "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        local bindir
        bindir=${BINDIR:-$(find_bindir)}
        as_postgres "$bindir/pg_ctl" -D "$dir/data" -s -w -t 30 -m fast stop ||
            as_postgres "$bindir/pg_ctl" -D "$dir/data" -s -w -t 30 -m immediate stop ||
            log "could not stop the server in $dir"
    fi
    rm -rf "$dir"
}

cmd_stop() {
    if [ ! -f "$ENV_FILE" ]; then
        log "no $ENV_FILE: nothing to stop"
        return 0
    fi
    local dir
    dir=$(sed -n 's/^export ANLAN_PG_TEST_DIR=//p' "$ENV_FILE")
    [ -n "$dir" ] || die "$ENV_FILE names no ANLAN_PG_TEST_DIR"
    stop_dir "$dir"
    rm -f "$ENV_FILE"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
