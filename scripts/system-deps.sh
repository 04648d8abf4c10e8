#!/usr/bin/env bash
# What the tests need from the system, installed from Debian's packages when missing (npm test runs
# this first, so the README's test command works on a fresh machine): Chromium drives the browser
# tests through playwright-core; scikit-learn is the reference the real-table and metric tests
# compare against, and pandas writes the real tables' CSV files; PyTorch's torch.onnx.export writes
# the ONNX files the import tests read; the Redis tests start a redis-server of their own
# (test/helpers/redis.ts), and the TLS one makes a throwaway CA with openssl. Safe to run again: it
# does nothing when everything is there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
/usr/bin/python3 -c 'import pandas' >/dev/null 2>&1 || missing+=(python3-pandas)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
# redis-server alone, without the packages Debian recommends with it (about 20 s).
lean=()
[ -x /usr/bin/redis-server ] || lean+=(redis-server)
[ -x /usr/bin/openssl ] || lean+=(openssl)
[ $((${#missing[@]} + ${#lean[@]})) -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "The tests need these Debian packages: ${missing[*]} ${lean[*]}. Install them as root:" >&2
    echo "  apt-get install -y ${missing[*]} ${lean[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need ${missing[*]} ${lean[*]} (Debian/Ubuntu package names); this system has no apt-get: install them with its package manager." >&2
  exit 1
fi
echo "installing the test prerequisites: ${missing[*]} ${lean[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
[ ${#missing[@]} -eq 0 ] || $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
[ ${#lean[@]} -eq 0 ] || $SUDO apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
