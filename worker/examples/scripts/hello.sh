#!/usr/bin/env bash
# Demo: harmless. Greets the ticket's user and prints the success text the cloud matches on.
# Parameters arrive as HALO_PARAM_<NAME> variables (and as JSON on stdin); HALO_TICKET_ID is set by the worker.
set -euo pipefail
name="${HALO_PARAM_NAME:-there}"
printf 'Hello %s from the halo-bridge worker on %s (ticket %s)\n' "$name" "$(hostname)" "${HALO_TICKET_ID:-none}"
echo "SUCCESS"
