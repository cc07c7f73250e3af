#!/usr/bin/env bash
# Installs the Debian packages the tests need (PostgreSQL server) when they are missing.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  echo "==> system packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "==> missing system packages: ${missing[*]}" >&2
  echo "    install them with your package manager (Debian: sudo apt-get install ${missing[*]})," >&2
  echo "    or the tests that need them will be skipped outside CI." >&2
  exit 0
fi
echo "==> installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "==> system packages installed"
