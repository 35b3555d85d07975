#!/usr/bin/env bash
# Runs the fedgossip image without a container engine: unpacks the image tar that Jib wrote
# (cli/target/jib-image.tar, an OCI image layout), applies its layers in order to an empty root, and runs the image's
# entrypoint there as the image's user, in new mount and PID namespaces with /proc mounted, as a
# container runtime would (without its network, cgroup and seccomp isolation). It checks that the
# runtime, its libraries and the application are complete: the version, the help, key generation
# (Ed25519 from jdk.crypto.ec), 'keygen install', and mutual TLS over loopback with BoringSSL, the
# native library Netty unpacks into /tmp.
#
# Usage: check-image.sh IMAGE_TAR     (as root: unshare and chroot need it)
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 IMAGE_TAR" >&2
  exit 2
fi
tar_file=$1
if [ "$(id -u)" -ne 0 ]; then
  echo "check-image: must run as root (it mounts /proc in a new namespace and chroots)" >&2
  exit 1
fi
for tool in unshare python3 tar; do
  command -v "$tool" >/dev/null || { echo "check-image: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tar" "$work/root"
tar -xf "$tar_file" -C "$work/tar"

# The layers in order and the container config, from the OCI layout (index.json) that Jib writes
# with <format>OCI</format>, or from a docker-load layout (manifest.json).
python3 - "$work/tar" >"$work/plan" <<'EOF'
import json, shlex, sys, os
d = sys.argv[1]
def blob(digest):
    return os.path.join("blobs", *digest.split(":", 1))
if os.path.exists(os.path.join(d, "index.json")):
    index = json.load(open(os.path.join(d, "index.json")))
    manifest = json.load(open(os.path.join(d, blob(index["manifests"][0]["digest"]))))
    config_file = blob(manifest["config"]["digest"])
    layers = [blob(l["digest"]) for l in manifest["layers"]]
else:
    manifest = json.load(open(os.path.join(d, "manifest.json")))[0]
    config_file = manifest["Config"]
    layers = manifest["Layers"]
config = json.load(open(os.path.join(d, config_file)))["config"]
print("LAYERS=" + shlex.quote(" ".join(layers)))
print("USER=" + shlex.quote(config.get("User", "0:0")))
print("WORKDIR=" + shlex.quote(config.get("WorkingDir", "/")))
print("ENTRYPOINT=(" + " ".join(shlex.quote(a) for a in config.get("Entrypoint", [])) + ")")
print("ENVIRONMENT=(" + " ".join(shlex.quote(e) for e in config.get("Env", [])) + ")")
EOF
# shellcheck disable=SC1091
. "$work/plan"
for layer in $LAYERS; do
  # Jib writes libarchive's creation-time records, which GNU tar does not know and skips.
  tar --warning=no-unknown-keyword -xzf "$work/tar/$layer" -C "$work/root"
done
mkdir -p "$work/root/proc"
uid=${USER%%:*}
gid=${USER##*:}
echo "check-image: $(echo "$LAYERS" | wc -w) layers, user $USER, workdir $WORKDIR"
echo "check-image: entrypoint ${ENTRYPOINT[*]}"

unshare_bin=$(command -v unshare)

# Runs the entrypoint with arguments inside the unpacked image, with only the image's environment.
in_image() {
  env -i "${ENVIRONMENT[@]}" HOME="$WORKDIR" \
    "$unshare_bin" --mount --pid --fork --mount-proc=/proc \
    --root="$work/root" --wd="$WORKDIR" --setgid="$gid" --setuid="$uid" \
    "${ENTRYPOINT[@]}" "$@"
}

expect() {
  local what=$1 pattern=$2
  shift 2
  local out
  if ! out=$(in_image "$@" 2>&1); then
    echo "check-image: FAILED: $what: fedgossip $* exited non-zero:" >&2
    echo "$out" >&2
    exit 1
  fi
  if ! grep -q -- "$pattern" <<<"$out"; then
    echo "check-image: FAILED: $what: fedgossip $* printed no '$pattern':" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "check-image: ok: $what"
  grep -- "$pattern" <<<"$out" | head -n 1 | sed 's/^/    /'
}

expect "version" "^fedgossip " --version
expect "help" "Usage: fedgossip" --help
expect "CA key generation" "ca.key" keygen ca --out /tmp/ca
expect "peer key generation" "peer-id:" keygen peer --ca /tmp/ca --basket b --name p --out /tmp/p
expect "key install" "mode 600" keygen install --key /tmp/p/peer.key --crt /tmp/p/peer.crt --out /tmp/k
expect "mutual TLS with BoringSSL" "GB/s" bench transport --tls --tls-engine openssl \
  --payload-bytes 65536 --seconds 1 --warmup-seconds 0
echo "check-image: the image runs"
