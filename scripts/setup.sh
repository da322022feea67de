#!/usr/bin/env bash
# Installs what this project needs and is missing on a fresh machine. Safe to
# run again: every step is skipped when its tool already answers.
#   scripts/setup.sh          everything needed to build and run
#   scripts/setup.sh --test   also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust with rustup first" >&2
  exit 1
fi

if [ "${1:-}" = "--test" ]; then
  # boto3 and the AWS CLI: two of the three clients the engine is tested with.
  if ! python3 -c 'import boto3' 2>/dev/null || ! command -v aws >/dev/null; then
    say "installing boto3 and the AWS CLI (PyPI)"
    python3 -m pip install --quiet --disable-pip-version-check boto3 awscli
  fi
fi
