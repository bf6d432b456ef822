#!/usr/bin/env bash
# Runs before `npm test` (the pretest hook): the integration tests start a private Dovecot,
# and the digest's rendering test drives Debian's Chromium. Installs what is missing when we
# are root; otherwise says how.
set -euo pipefail
missing=()
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  echo "Installing for the tests: ${missing[*]} (apt-get install -y ${missing[*]}) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
