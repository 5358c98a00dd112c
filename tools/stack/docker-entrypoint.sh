#!/bin/sh
# Entry point of the one image for all four services (Dockerfile). The service is chosen by the
# first argument or, without one, by the SERVICE variable:
#   docker run IMAGE task-ingest          docker run -e SERVICE=queue-matcher IMAGE
# Any other command runs as given (docker run IMAGE node -e '...').
set -eu
SERVICES="task-ingest workflow-evaluator queue-matcher reservation-timer"
is_service() { for s in $SERVICES; do [ "$s" = "$1" ] && return 0; done; return 1; }

if [ "$#" -gt 0 ] && ! is_service "$1"; then exec "$@"; fi
service="${1:-${SERVICE:-}}"
if [ -z "$service" ] || ! is_service "$service"; then
  echo "docker-entrypoint: set SERVICE (or pass as the command) one of: $SERVICES; got '${service}'" >&2
  exit 64
fi
# exec: node is PID 1's child under tini (--init) or PID 1 itself, and gets SIGTERM directly.
exec node -r ./tools/register.js "apps/$service/src/main.ts"
