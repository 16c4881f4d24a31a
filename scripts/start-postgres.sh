#!/bin/sh
# Starts the local PostgreSQL 15 cluster and makes sure the test role and database exist, so that
# the store tests can run on PostgreSQL too. Idempotent: safe to run on a warm machine.
# Prints the URL to export as LEADBRIDGE_TEST_PG_URL on its last line; exits non-zero with a reason
# when PostgreSQL cannot be made usable.
#   export LEADBRIDGE_TEST_PG_URL=$(scripts/start-postgres.sh | tail -n 1)
set -eu

VERSION=15
CLUSTER=main
ROLE=lbtest
PASSWORD=lbtest
DATABASE=lbtest
HOST=127.0.0.1
PORT=5432

fail() { echo "start-postgres: $*" >&2; exit 1; }
URL="postgresql://$ROLE:$PASSWORD@$HOST:$PORT/$DATABASE"

# Already running and set up (also the path for a non-root user on a prepared machine).
if command -v psql >/dev/null 2>&1 &&
    PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DATABASE" -qtAc "SELECT 1" >/dev/null 2>&1; then
    echo "$URL"
    exit 0
fi

command -v pg_ctlcluster >/dev/null 2>&1 ||
    fail "pg_ctlcluster is missing; install PostgreSQL first (apt-get install postgresql)."
[ "$(id -u)" -eq 0 ] || fail "run as root (it starts the cluster and switches to the postgres user)."

if ! pg_lsclusters -h 2>/dev/null | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c' | grep -q .; then
    fail "there is no PostgreSQL $VERSION cluster '$CLUSTER' (see pg_lsclusters); create it with pg_createcluster $VERSION $CLUSTER."
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $3}')

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}' | grep -q online; then
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2 || fail "could not start the PostgreSQL $VERSION cluster '$CLUSTER' (see /var/log/postgresql/)."
fi

# Wait for it to accept connections (a cold start takes a moment).
tries=0
until su postgres -c "pg_isready -q -h $HOST -p $PORT"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || fail "PostgreSQL did not accept connections on $HOST:$PORT within 30 s."
    sleep 1
done

psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qtAc \"$1\""; }

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
    psql_admin "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2 || fail "could not create the role $ROLE."
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    psql_admin "CREATE DATABASE $DATABASE OWNER $ROLE" >&2 || fail "could not create the database $DATABASE."
fi

URL="postgresql://$ROLE:$PASSWORD@$HOST:$PORT/$DATABASE"
# Check the password login the tests will use, over TCP as they do.
PGPASSWORD=$PASSWORD psql -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DATABASE" -qtAc "SELECT 1" >/dev/null 2>&1 ||
    fail "PostgreSQL runs, but $ROLE cannot log in with a password on $HOST:$PORT (check pg_hba.conf)."
echo "$URL"
