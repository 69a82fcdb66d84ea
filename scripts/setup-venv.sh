#!/usr/bin/env bash
# Create .venv and install the project with its test and benchmark tools, Chromium for the browser tests,
# and the npm tools of the accessibility and SEO checks (node_modules/).
# On a fresh Debian machine without venv support, install it with apt-get first (needs root).
set -euo pipefail
python=${PYTHON:-python3}
venv=${1:-.venv}

if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Python and venv support with apt-get..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-dev >/dev/null
    python=python3
  else
    echo "error: $python with venv support is needed (Debian: sudo apt-get install python3-venv)" >&2
    exit 1
  fi
fi

# The browser tests drive Debian's Chromium; Playwright's own browser download is not used.
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium with apt-get (for the browser tests)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium is missing; the browser tests need it (Debian: sudo apt-get install chromium)" >&2
  fi
fi

# The accessibility and SEO checks run axe-core and Lighthouse, pinned in package-lock.json.
if ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Node.js and npm with apt-get (for the accessibility and SEO checks)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "error: npm is needed for the accessibility and SEO checks (Debian: sudo apt-get install nodejs npm)" >&2
    exit 1
  fi
fi
(cd "$(dirname "$0")/.." && npm ci --no-audit --no-fund --loglevel=error)

rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
# Every dependency at the version and hash requirements.txt locks (pip-compile, from pyproject.toml),
# then the project itself without dependencies: the site CI tests is the site that publishes.
"$venv/bin/pip" install --quiet --require-hashes -r requirements.txt
"$venv/bin/pip" install --quiet --no-deps -e .
