#!/usr/bin/env bash
# Installs Debian's headless Chromium for the console's browser test (ConsolePageBrowserTest),
# with apt-get, if it is missing. Needs root (or sudo). The test is skipped, with a message
# naming this script, where Chromium is not installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  echo "install-chromium: chromium is installed: $(chromium --version 2>/dev/null || chromium-browser --version)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium by hand (the browser test is skipped without it)" >&2
  exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: not root and no sudo: run as root (apt-get install chromium chromium-driver)" >&2
    exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
chromium --version
