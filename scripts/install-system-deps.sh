#!/usr/bin/env bash
# Debian packages the full test suite uses (needs root; skipped with a note otherwise):
# - mesa-vulkan-drivers >= 25 from bookworm-backports: lavapipe, a Vulkan driver on the CPU, so the WebGPU
#   execution provider of onnxruntime-node runs (slowly) without a GPU and its tests prove the GPU path's numbers.
set -euo pipefail
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not root or no apt-get; WebGPU tests will be skipped" >&2; exit 0
fi
. /etc/os-release
if [ "${VERSION_CODENAME:-}" = bookworm ] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
else
  apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
fi

# --- Chromium for the browser check (tools/browser-check) ---------------------------------------------------------
# Debian's chromium, driven headless by playwright-core: the browser-capable packages (data, lora, ensemble) are
# bundled for platform "browser" and their smoke calls must run without a console error. No browser download.
apt-get install -y -qq chromium >/dev/null
