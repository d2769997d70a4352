#!/bin/sh
# Installs the gitargus binary for this machine from a GitHub release.
#
#   curl -fsSL https://github.com/gitargus/gitargus/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --prefix /usr/local/bin
#
# Options and variables: see usage() below. Plain POSIX sh, no bashisms.
set -eu

repo="${GITARGUS_REPO:-gitargus/gitargus}"
version="${GITARGUS_VERSION:-latest}"
prefix=""

fail() {
  echo "gitargus install: $*" >&2
  exit 1
}

usage() {
  cat <<'EOF'
Usage: install.sh [--prefix DIR]

Installs the gitargus binary for this machine from a GitHub release.
  --prefix DIR       where to put the binary (default: ~/.local/bin)
  GITARGUS_VERSION   a release tag such as v0.2.0 (default: the latest release)
  GITARGUS_REPO      owner/name of the repository to download from (default: gitargus/gitargus)
EOF
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefix) [ "$#" -ge 2 ] || fail "--prefix needs a folder"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown argument \"$1\" (see --help)" ;;
  esac
done
if [ -z "$prefix" ]; then
  [ -n "${HOME:-}" ] || fail "HOME is not set; pass --prefix DIR"
  prefix="$HOME/.local/bin"
fi

case "$(uname -s)" in
  Linux) os="unknown-linux-gnu" ;;
  Darwin) os="apple-darwin" ;;
  *) fail "no gitargus binary for $(uname -s); build from source with \`deno task compile\`" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch="x86_64" ;;
  aarch64 | arm64) arch="aarch64" ;;
  *) fail "no gitargus binary for the $(uname -m) processor; build from source with \`deno task compile\`" ;;
esac
asset="gitargus-$arch-$os"

case "$version" in
  latest) base="https://github.com/$repo/releases/latest/download" ;;
  v*) base="https://github.com/$repo/releases/download/$version" ;;
  *) base="https://github.com/$repo/releases/download/v$version" ;;
esac

download() { # url file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https' --tlsv1.2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256() { # file
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t gitargus)"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "Downloading $base/$asset"
download "$base/$asset" "$tmp/$asset" || fail "cannot download $base/$asset"

actual="$(sha256 "$tmp/$asset")"
if [ -n "$actual" ]; then
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "cannot download $base/SHA256SUMS"
  expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$tmp/SHA256SUMS")"
  [ -n "$expected" ] || fail "SHA256SUMS has no line for $asset"
  [ "$actual" = "$expected" ] || fail "checksum mismatch for $asset: expected $expected, got $actual"
  echo "Checksum verified: $actual"
else
  echo "Neither sha256sum nor shasum is installed: the checksum is not verified" >&2
fi

mkdir -p "$prefix" || fail "cannot create $prefix"
chmod +x "$tmp/$asset"
mv -f "$tmp/$asset" "$prefix/gitargus" || fail "cannot write $prefix/gitargus"
echo "Installed $prefix/gitargus"

case ":${PATH:-}:" in
  *":$prefix:"*) ;;
  *) echo "Note: $prefix is not on your PATH; add it, e.g. export PATH=\"$prefix:\$PATH\"" ;;
esac
cat <<EOF

Next steps:
  gitargus init --root ~/Workspace      find the repositories and write ~/.gitargus/config.yml
  gitargus setup-aws                    create the AWS resources and record them in the config
  gitargus install-service --enable     run the daemon as a service
EOF
