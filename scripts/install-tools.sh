#!/usr/bin/env bash
# Builds the tools the deployment tests need into .tools/ once: docker-compose (to check the
# compose file with `docker-compose config`; no Docker engine needed), podman-compose (to run
# it with podman, `make containers`) and helm (to lint and render the charts). All come from
# package registries: the two compose tools from PyPI, each into its own virtual environment,
# helm with `go install` from the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/bin"

if [ ! -x "$TOOLS/bin/docker-compose" ]; then
  echo "==> installing docker-compose 1.29.2 into .tools/compose"
  python3 -m venv "$TOOLS/compose"
  "$TOOLS/compose/bin/pip" install --quiet --upgrade pip
  # PyYAML 5.4 (docker-compose's bound) builds from source only with Cython < 3.
  "$TOOLS/compose/bin/pip" install --quiet "cython<3" wheel setuptools
  "$TOOLS/compose/bin/pip" install --quiet --no-build-isolation "pyyaml==5.4.1"
  "$TOOLS/compose/bin/pip" install --quiet "docker-compose==1.29.2"
  ln -sf "$TOOLS/compose/bin/docker-compose" "$TOOLS/bin/docker-compose"
fi

if [ ! -x "$TOOLS/bin/podman-compose" ]; then
  echo "==> installing podman-compose 1.6.0 into .tools/podman-compose"
  python3 -m venv "$TOOLS/podman-compose"
  "$TOOLS/podman-compose/bin/pip" install --quiet --upgrade pip
  "$TOOLS/podman-compose/bin/pip" install --quiet "podman-compose==1.6.0"
  ln -sf "$TOOLS/podman-compose/bin/podman-compose" "$TOOLS/bin/podman-compose"
fi

if [ ! -x "$TOOLS/bin/helm" ]; then
  if command -v go >/dev/null; then
    echo "==> building helm v3.22.0 into .tools/bin (go install; a few minutes the first time)"
    GOBIN="$TOOLS/bin" go install helm.sh/helm/v3/cmd/helm@v3.22.0
  else
    echo "==> go is missing: helm cannot be built; the chart tests will be skipped outside CI" >&2
  fi
fi
echo "==> tools ready in .tools/bin"
