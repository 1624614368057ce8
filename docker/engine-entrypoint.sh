#!/bin/sh
# Starts the engine launcher with its secrets read from files (compose secrets), so they never sit
# in the container's environment as given:
#   ENGINE_DATABASE_URL_FILE  postgres://user:password@host:port/database (the URL the server reads the
#                             engine's tables with) -> ENGINE_DB_URL (JDBC), ENGINE_DB_USER, ENGINE_DB_PASSWORD
#   ENGINE_PASSWORD_FILE      the REST API's password -> ENGINE_ADMIN_PASSWORD
# Passwords must be URL-safe (docker/make-secrets.sh makes hex ones): the URL is split, not decoded.
set -eu

fail() {
  echo "engine-entrypoint: $*" >&2
  exit 64
}

if [ -n "${ENGINE_DATABASE_URL_FILE:-}" ]; then
  [ -r "$ENGINE_DATABASE_URL_FILE" ] || fail "cannot read ENGINE_DATABASE_URL_FILE ($ENGINE_DATABASE_URL_FILE)"
  url=$(cat "$ENGINE_DATABASE_URL_FILE")
  case "$url" in
    postgres://*:*@*/* | postgresql://*:*@*/*) ;;
    *) fail "ENGINE_DATABASE_URL_FILE must hold postgres://user:password@host:port/database" ;;
  esac
  rest=${url#*://}
  userinfo=${rest%@*}
  ENGINE_DB_URL="jdbc:postgresql://${rest##*@}"
  ENGINE_DB_USER=${userinfo%%:*}
  ENGINE_DB_PASSWORD=${userinfo#*:}
  [ -n "$ENGINE_DB_USER" ] && [ -n "$ENGINE_DB_PASSWORD" ] || fail "ENGINE_DATABASE_URL_FILE: user or password is empty"
  export ENGINE_DB_URL ENGINE_DB_USER ENGINE_DB_PASSWORD
fi

if [ -n "${ENGINE_PASSWORD_FILE:-}" ]; then
  [ -r "$ENGINE_PASSWORD_FILE" ] || fail "cannot read ENGINE_PASSWORD_FILE ($ENGINE_PASSWORD_FILE)"
  ENGINE_ADMIN_PASSWORD=$(cat "$ENGINE_PASSWORD_FILE")
  [ -n "$ENGINE_ADMIN_PASSWORD" ] || fail "ENGINE_PASSWORD_FILE is empty"
  export ENGINE_ADMIN_PASSWORD
fi

exec java -jar "${ENGINE_JAR:-/opt/engine/engine.jar}" "$@"
