#!/usr/bin/env bash
# Prepares a fresh Debian machine for CustOps, idempotently: checks Java and Maven, installs and starts
# PostgreSQL, creates the custops role, and installs Chromium for the dashboard test. Kafka and Keycloak need
# nothing here (the local stack fetches them).
set -euo pipefail

say() { echo "setup: $*"; }

# --- Java and Maven: too version-sensitive to install silently ---
missing=()
command -v java >/dev/null 2>&1 || missing+=("java (JDK 17+, e.g. apt-get install openjdk-17-jdk-headless)")
command -v mvn >/dev/null 2>&1 || missing+=("mvn (Maven 3.9+, e.g. apt-get install maven)")
if [[ ${#missing[@]} -gt 0 ]]; then
  say "please install first:"
  printf '  - %s\n' "${missing[@]}"
  exit 1
fi

# runs a command as root: directly, through sudo, or not at all
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "root is needed for: $*; run this script as root or install sudo"
    exit 1
  fi
}

# --- PostgreSQL server ---
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "installing PostgreSQL (apt-get)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi
pg_version=$(ls -d /usr/lib/postgresql/*/bin/postgres | sed -E 's#/usr/lib/postgresql/([^/]+)/.*#\1#' | sort -V | tail -1)

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5432) >/dev/null 2>&1; }

if port_open; then
  say "PostgreSQL is listening on port 5432"
else
  say "starting PostgreSQL $pg_version (pg_ctlcluster $pg_version main start)"
  as_root pg_ctlcluster "$pg_version" main start
  for _ in $(seq 1 60); do
    port_open && break
    sleep 1
  done
  port_open || { say "PostgreSQL did not start listening on port 5432"; exit 1; }
fi

# --- the custops role (password login over TCP, may create the per-service databases) ---
if PGPASSWORD=custops psql -h localhost -U custops -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  say "role custops can log in"
else
  say "creating role custops"
  sql="DO \$\$BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'custops') THEN
      CREATE ROLE custops LOGIN CREATEDB PASSWORD 'custops';
    ELSE
      ALTER ROLE custops LOGIN CREATEDB PASSWORD 'custops';
    END IF;
  END\$\$;"
  # from a directory the postgres account can read, so psql does not warn about the cwd
  (cd / && as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -c "$sql")
  PGPASSWORD=custops psql -h localhost -U custops -d postgres -tAc 'select 1' >/dev/null \
    || { say "role custops still cannot log in over TCP (check pg_hba.conf allows md5/scram on localhost)"; exit 1; }
fi
# --- Chromium: the end-to-end suite drives the dashboard in headless Chromium over the DevTools protocol ---
if command -v chromium >/dev/null 2>&1; then
  say "Chromium is installed ($(chromium --version 2>/dev/null | head -1))"
else
  say "installing Chromium (apt-get)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
say "machine ready"
