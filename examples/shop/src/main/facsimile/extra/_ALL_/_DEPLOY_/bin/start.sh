#!/bin/sh
# Starts the shop from the release it lives in. `--check` only verifies the configuration is there.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
test -r "$here/etc/shop.properties"
if [ "${1:-}" = "--check" ]; then
  echo "shop: configuration present in $here"
  exit 0
fi
exec echo "shop would start with $here/etc/shop.properties"
