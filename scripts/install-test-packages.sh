#!/usr/bin/env bash
# Installs the Debian packages the tests need, when they are missing: nats-server (the RSB-over-NATS
# tests start their own servers on loopback ports), python3 (byte-level peers written from the
# specs), python3-numpy (the OBE core's numbers against NumPy's, test/obe/core/numpy_reference.py,
# and the same-run baseline of npm run bench:obe) and chromium (the monitor page is tested in a real
# headless browser, driven by playwright-core). Needs root, as on the project's machines.
set -euo pipefail
need=()
command -v nats-server >/dev/null || need+=(nats-server)
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
fi
