#!/usr/bin/env bash
# Set up .venv from the locked dependencies.
#   scripts/setup-venv.sh VENV build   what building the site needs: Python and requirements.txt
#   scripts/setup-venv.sh VENV test    and what the tests need: requirements-dev.txt, Chromium for the
#                                      browser tests, and the npm tools of the accessibility and SEO
#                                      checks (node_modules/)
# On a fresh Debian machine, as root, what is missing is installed with apt-get.
set -euo pipefail
python=${PYTHON:-python3}
venv=${1:-.venv}
mode=${2:-build}
cd "$(dirname "$0")/.."

apt_install() {  # apt_install WHAT PACKAGE...: install Debian packages, or say how
  local what=$1
  shift
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing $what with apt-get..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "error: $what is needed (Debian: sudo apt-get install $*)" >&2
    exit 1
  fi
}

if [ "$mode" = build ]; then
  if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt_install "Python with venv support" python3 python3-venv python3-dev
    python=python3
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  # Every dependency at the version and hash the lock gives (pip-compile, from pyproject.toml; `make lock`),
  # then the project itself without dependencies: the site CI tests is the site that publishes.
  "$venv/bin/pip" install --quiet --require-hashes -r requirements.txt
  "$venv/bin/pip" install --quiet --no-deps -e .
elif [ "$mode" = test ]; then
  "$venv/bin/pip" install --quiet --require-hashes -r requirements-dev.txt
  # The browser tests drive Debian's Chromium; Playwright's own browser download is not used.
  if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
    apt_install "Chromium (for the browser tests)" chromium
  fi
  # The accessibility and SEO checks run axe-core and Lighthouse, pinned in package-lock.json.
  if ! command -v npm >/dev/null 2>&1; then
    apt_install "Node.js and npm (for the accessibility and SEO checks)" nodejs npm
  fi
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "usage: scripts/setup-venv.sh VENV build|test" >&2
  exit 2
fi
