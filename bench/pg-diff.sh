#!/usr/bin/env bash
# The replay against a real PostgreSQL, over the corpus (not a test): every PostgreSQL migration set of
# the corpus is applied to a throwaway server the way its runner applies it (sqlx, diesel, golang-migrate,
# pop, Flyway: one query per file or per statement, in a transaction or not, as discovery settles it), and
# the server's catalog is compared with the replay's after every up and every down. Prints per set: its
# migrations, the steps compared, the steps that differ, and every difference (step, object, both sides).
# A down the server refuses counts as a difference unless an error of the analyzer (correctness group)
# says so, or it is a knock-on: refused only because a down above it was, as a rerun shows (a fresh
# database, the ups up to that migration, then its down, which runs).
#
# Usage: bench/pg-diff.sh [CORPUS_SQL_DIR]
#   CORPUS_SQL_DIR defaults to ../shared/corpus/sql. Needs PostgreSQL's server programs (initdb, pg_ctl:
#   PG_BINDIR, pg_config --bindir, /usr/lib/postgresql/*/bin or PATH); as root they run as `postgres`.
#   The server listens only on a Unix socket in a temporary folder and is stopped at the end.
#   The fixture sets of the test (fixtures/postgres/) run with `cargo test -p backend-check-tests --test postgres`.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${1:-../shared/corpus/sql}" && pwd)

# The PostgreSQL sets: a folder per set (or per project, of which only the PostgreSQL sets are compared).
sets=(
    LukeMathWalker__zero-to-production/migrations
    launchbadge__realworld-axum-sqlx/migrations
    atuinsh__atuin/crates/atuin-server-postgres/migrations
    rust-lang__crates.io/migrations
    dani-garcia__vaultwarden/migrations/postgresql
    goharbor__harbor/make/migrations/postgresql
    ory__kratos/persistence/sql/migrations/sql
    eclipse-hawkbit__hawkbit/hawkbit-repository/hawkbit-repository-jpa-flyway/src/main/resources/db/migration/POSTGRESQL
)
args=()
for set in "${sets[@]}"; do
    if [[ -d "$corpus/$set" ]]; then
        args+=("$corpus/$set")
    else
        echo "missing from the corpus: $set" >&2
    fi
done

cargo run --quiet --release --locked -p backend-check-tests --example pg-diff -- --base "$corpus" "${args[@]}"
