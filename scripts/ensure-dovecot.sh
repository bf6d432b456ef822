#!/usr/bin/env bash
# Runs before `npm test` (the pretest hook): the integration tests start a private Dovecot,
# so it must be installed. Installs it when missing and we are root; otherwise says how.
set -euo pipefail
if [ -x /usr/sbin/dovecot ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  echo "Installing Dovecot for the integration tests (apt-get install -y dovecot-imapd) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
else
  echo "The tests need Dovecot: sudo apt-get install -y dovecot-imapd" >&2
  exit 1
fi
