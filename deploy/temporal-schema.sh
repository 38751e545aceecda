#!/bin/sh
# Sets up Temporal's schemas in PostgreSQL with the admin tools, as the official images do.
set -eu
export SQL_PLUGIN=postgres12 SQL_HOST="${POSTGRES_SEEDS}" SQL_PORT="${DB_PORT:-5432}" SQL_USER="${POSTGRES_USER}" SQL_PASSWORD="${POSTGRES_PWD}"
SCHEMA=/etc/temporal/schema/postgresql/v12
temporal-sql-tool --db temporal create-database || true
temporal-sql-tool --db temporal setup-schema -v 0.0
temporal-sql-tool --db temporal update-schema -d "$SCHEMA/temporal/versioned"
temporal-sql-tool --db temporal_visibility create-database || true
temporal-sql-tool --db temporal_visibility setup-schema -v 0.0
temporal-sql-tool --db temporal_visibility update-schema -d "$SCHEMA/visibility/versioned"
echo "temporal schemas ready"
