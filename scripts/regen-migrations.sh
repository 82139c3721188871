#!/usr/bin/env bash
# Adds a migration for both providers after a model change: scripts/regen-migrations.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/regen-migrations.sh MigrationName}
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project "src/Parley.Data.$p" --startup-project "src/Parley.Data.$p" --output-dir Migrations
done
rm -f src/Parley.Data.Sqlite/design.db
