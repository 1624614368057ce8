#!/bin/sh
# Writes the four secrets docker-compose.yml reads, with random hex passwords, into ./secrets/
# (or the folder given): run once before the first `docker-compose up`. Existing files are kept.
#   postgres_password     the PostgreSQL superuser's (used by nothing but the postgres container)
#   database_url          our database, as its own role: postgres://hosotrinh:…@postgres:5432/hosotrinh
#   engine_database_url   the engine's database, as its own role (the engine and the server's read model)
#   engine_password       the engine REST API's password (server, workers, engine)
set -eu
dir=${1:-secrets}
umask 077
mkdir -p "$dir"
# The folder stays private to you; the files are readable by the containers' unprivileged users,
# because compose mounts them with their host owner and mode.
chmod 700 "$dir"

random() {
  od -An -tx1 -N24 /dev/urandom | tr -d ' \n'
}

write() {
  if [ -e "$dir/$1" ]; then
    echo "kept    $dir/$1"
  else
    printf '%s\n' "$2" > "$dir/$1"
    chmod 644 "$dir/$1"
    echo "written $dir/$1"
  fi
}

write postgres_password "$(random)"
write database_url "postgres://hosotrinh:$(random)@postgres:5432/hosotrinh"
write engine_database_url "postgres://hosotrinh_engine:$(random)@postgres:5432/hosotrinh_engine"
write engine_password "$(random)"
