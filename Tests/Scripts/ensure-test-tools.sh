#!/usr/bin/env bash
# The shells the completion tests run for real (zsh, fish) and tmux for the end-to-end tests,
# from Debian's packages when root and missing; otherwise says what the tests will skip.
# Nothing here names a registry or mirror host: apt uses the machine's own sources.
set -uo pipefail
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for package in zsh fish tmux; do
  command -v "$package" >/dev/null 2>&1 || installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: ${missing[*]} missing and cannot be installed here (not root, or no apt-get): their tests skip"
  exit 0
fi
echo "ensure-test-tools: installing ${missing[*]} from the machine's apt sources"
# Waits for dpkg's lock, updates the lists when needed, retries, bounded (apt-install.sh).
if ! "$(dirname "$0")/apt-install.sh" --log /tmp/devenv-test-tools.log "${missing[@]}"; then
  echo "ensure-test-tools: apt-get install ${missing[*]} failed" >&2
  exit 1
fi
