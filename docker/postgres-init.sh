#!/bin/sh
# Runs once, when the postgres service initialises an empty data volume (/docker-entrypoint-initdb.d).
# One login role per database, owner of its database and nothing more (no superuser, no CREATEDB,
# no CREATEROLE): hosotrinh for our business data, hosotrinh_engine for the engine's tables. Role,
# password and database are read from the connection URLs the applications themselves use (the
# compose secrets database_url and engine_database_url), so each password is written in one place.
set -eu

create_owned_database() {
  [ -r "$1" ] || { echo "postgres-init: cannot read $1" >&2; exit 64; }
  url=$(cat "$1")
  rest=${url#*://}
  userinfo=${rest%@*}
  role=${userinfo%%:*}
  password=${userinfo#*:}
  database=${rest##*/}
  database=${database%%\?*}
  for name in "$role" "$database"; do
    case "$name" in
      '' | *[!a-z0-9_]*) echo "postgres-init: $1: role and database must be lower-case letters, digits and _" >&2; exit 64 ;;
    esac
  done
  [ -n "$password" ] && [ "$password" != "$userinfo" ] || { echo "postgres-init: $1 has no password" >&2; exit 64; }
  # psql quotes the values itself (:"name" as an identifier, :'value' as a literal).
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
    --set=role="$role" --set=password="$password" --set=database="$database" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
  echo "postgres-init: database $database owned by role $role"
}

create_owned_database "${DATABASE_URL_FILE:-/run/secrets/database_url}"
create_owned_database "${ENGINE_DATABASE_URL_FILE:-/run/secrets/engine_database_url}"
