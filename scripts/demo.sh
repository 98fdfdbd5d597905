#!/usr/bin/env bash
# `make demo`: lint the sample app, apply it to a fresh embedded cluster, and look at
# what the control plane made of it.
set -uo pipefail
cd "$(dirname "$0")/.."
KCTL=.venv/bin/kctl
DEMO_DIR=$(mktemp -d)
export KCTL_DB="$DEMO_DIR/cluster.db"   # a fresh SQLite cluster, just for the demo
trap 'rm -rf "$DEMO_DIR"' EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$KCTL" lint -R samples/shop --summary
step "$KCTL" lint samples/broken --summary
echo "(exit status $? — lint fails when the API server would reject a manifest)"

step "$KCTL" get nodes -o wide
step "$KCTL" apply -f samples/shop
step "$KCTL" get deploy,rs,pods,svc,ep -n shop -o wide
step "$KCTL" describe deployment web -n shop
step "$KCTL" get events -n shop
exit 0
