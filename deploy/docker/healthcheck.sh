#!/bin/bash
# Container health check without curl/wget (the JRE image need not ship them): one HTTP/1.0 GET over bash's
# /dev/tcp to the actuator, healthy when the status line says 200. Usage: healthcheck.sh [path]
# Port: $HEALTHCHECK_PORT (set in the image from the SERVICE_PORT build argument).
set -u
path="${1:-/actuator/health/readiness}"
port="${HEALTHCHECK_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
