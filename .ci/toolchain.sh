#!/bin/sh
# Runs a root package script with the project's pinned toolchain, installing it first when needed:
# pnpm (from the npm registry, into a per-version cache directory), then the workspace dependencies,
# which include Node 24 itself (the `node` package), so every script runs on Node 24 whatever Node
# the machine has. Usage: sh .ci/toolchain.sh <script> [args...]
set -eu
# Where the user ran npm (npm sets INIT_CWD): the gko commands read the paths given from there.
caller_dir=${INIT_CWD:-$PWD}
cd "$(dirname "$0")/.."

pnpm_version=$(sed -n 's/^ *"packageManager": *"pnpm@\([0-9.]*\)".*/\1/p' package.json)
cache_root=${GKO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gko-operator}
pnpm_prefix=$cache_root/pnpm-$pnpm_version

if [ ! -x "$pnpm_prefix/bin/pnpm" ]; then
  echo "toolchain: installing pnpm $pnpm_version into $pnpm_prefix" >&2
  npm install --global --prefix "$pnpm_prefix" --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >&2
fi
PATH=$pnpm_prefix/bin:$PATH
export PATH

pnpm install --frozen-lockfile --prefer-offline --reporter=append-only >&2
# The gko commands write reports (JSON, SARIF) to standard output: no banner before them.
if [ "${1:-}" = gko ]; then GKO_WORKDIR=$caller_dir exec pnpm --silent run "$@"; fi
exec pnpm run "$@"
