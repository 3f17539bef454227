#!/bin/sh
# Installs the Debian packages the tests need, when some are missing: containerd and runc run the
# pods of the test node, containernetworking-plugins gives it the loopback CNI plugin, iptables the
# per-Service NAT rules, umoci, skopeo and binutils (strip) build and export the operator's
# image without Docker, lua5.1 runs the Argo CD health check of our kinds in its test.
# Needs root (or sudo) and apt; does nothing when everything is already installed.
set -eu
packages="containerd runc containernetworking-plugins iptables umoci skopeo binutils lua5.1"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "system packages: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq >&2
# The containerd package would start its own service: the tests start containerd themselves.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q containerd 2>/dev/null; then
  $sudo systemctl disable --now containerd >&2 || true
fi
