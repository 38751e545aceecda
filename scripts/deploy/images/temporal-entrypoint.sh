#!/bin/sh
# The official image's environment, written into the server's own PostgreSQL configuration.
set -eu
: "${DB:=postgres12}" "${DB_PORT:=5432}" "${BIND_ON_IP:=0.0.0.0}" "${TEMPORAL_BROADCAST_ADDRESS:=$(hostname -i)}"
[ "$DB" = postgres12 ] || { echo "only DB=postgres12 is built here, not $DB" >&2; exit 1; }
# Membership needs an address, not a name.
BROADCAST=$(getent hosts "$TEMPORAL_BROADCAST_ADDRESS" | awk '{ print $1; exit }')
sed -e "s/127\.0\.0\.1:5432/${POSTGRES_SEEDS}:${DB_PORT}/g" \
  -e "s/user: \"temporal\"/user: \"${POSTGRES_USER}\"/" \
  -e "s/password: \"temporal\"/password: \"${POSTGRES_PWD}\"/" \
  -e "s/broadcastAddress: \"127.0.0.1\"/broadcastAddress: \"${BROADCAST}\"/" \
  -e "s/bindOnLocalHost: true/bindOnIP: \"${BIND_ON_IP}\"/" \
  -e "s/level: info/level: warn/" \
  /etc/temporal/template/development-postgres12.yaml > /etc/temporal/config/docker.yaml
cp /etc/temporal/template/development-sql.yaml /etc/temporal/config/dynamicconfig/development-sql.yaml
exec temporal-server --root /etc/temporal --config config --env docker --allow-no-auth start
