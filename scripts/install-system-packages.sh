#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: PostgreSQL (server),
# Java and Maven (Keycloak is fetched from Maven Central and runs on Java 17+), Prometheus
# (promtool and the monitoring test), wrk (benchmarks), Chromium (the console's browser tests),
# iproute2 and nftables (the partition tests' network namespaces, cut and lossy links).
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v wrk >/dev/null || missing+=(wrk)
command -v promtool >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v ip >/dev/null || missing+=(iproute2)
command -v nft >/dev/null || missing+=(nftables)

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
