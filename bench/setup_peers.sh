#!/usr/bin/env bash
# Copied from the project's shared benchmark (shared/bench/setup_peers.sh), pinned versions unchanged.
# Install the peer tools at the versions the README's numbers were taken with.
#
#   bench/setup_peers.sh VENV_DIR NPM_DIR
#
# VENV_DIR gets a Python virtualenv with ast-grep-cli and libcst; NPM_DIR an npm
# prefix with jscodeshift.  ripgrep, hyperfine and GNU time come from apt
# (run as root, or install them yourself).
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
VENV=$1 NPM=$2

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  for t in rg hyperfine; do
    command -v "$t" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq ripgrep hyperfine time; break; }
  done
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "ast-grep-cli==0.51.1" "libcst==1.9.0"
mkdir -p "$NPM"
npm install --prefix "$NPM" --no-audit --no-fund "jscodeshift@17.4.0"
"$VENV/bin/ast-grep" --version
"$NPM/node_modules/.bin/jscodeshift" --version | sed -n 1p
"$VENV/bin/python" -c 'import importlib.metadata as m; print("libcst", m.version("libcst"))'
