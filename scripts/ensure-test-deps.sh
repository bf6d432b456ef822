#!/usr/bin/env bash
# Runs before `npm test` (the pretest hook): the integration tests start a private Dovecot,
# Cyrus and Courier, and the digest's rendering test drives Debian's Chromium. Installs what
# is missing when we are root; otherwise says how.
#
# Debian's cyrus-imapd, courier-imap and dovecot-imapd conflict (each removes the others),
# so only what does not conflict is installed, and the Cyrus and Courier server packages
# are unpacked side by side into /var/cache/bounced-test/imap-servers (apt-get download +
# dpkg-deb -x; BOUNCED_TEST_SERVERS overrides it): a folder outside the checkout, that the
# servers' own users (cyrus, mail) can reach whatever the checkout's permissions.
set -euo pipefail
servers=${BOUNCED_TEST_SERVERS:-/var/cache/bounced-test/imap-servers}
missing=()
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/lib/cyrus/bin/master ] || missing+=(cyrus-common)
[ -x /usr/sbin/saslpasswd2 ] || missing+=(sasl2-bin)
[ -x /usr/sbin/couriertcpd ] || missing+=(courier-base)
[ -x /usr/lib/courier/courier-authlib/authdaemond ] || missing+=(courier-authdaemon)
[ -e /usr/lib/courier-authlib/libauthuserdb.so ] || missing+=(courier-authlib-userdb)
unpack=()
[ -x "$servers/cyrus/usr/lib/cyrus/bin/imapd" ] || unpack+=(cyrus:cyrus-imapd)
[ -x "$servers/courier/usr/bin/imapd" ] || unpack+=(courier:courier-imap)
# The postgres project of the suite needs a PostgreSQL on 127.0.0.1:5432 (trust auth,
# database `test`; BOUNCED_TEST_POSTGRES names another). When none answers there and we
# are root, a private cluster is started on that port (installing postgresql when missing).
postgres=${BOUNCED_TEST_POSTGRES:-}
start_postgres=false
if [ -z "$postgres" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  start_postgres=true
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
fi
if [ ${#missing[@]} -eq 0 ] && [ ${#unpack[@]} -eq 0 ] && [ "$start_postgres" = false ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "The tests need: sudo apt-get install -y ${missing[*]} (and to be run as root once, to unpack ${unpack[*]})" >&2
  if [ "$start_postgres" = true ]; then
    echo "and a PostgreSQL on 127.0.0.1:5432 with trust auth and a database named test (or BOUNCED_TEST_POSTGRES=postgres://…)" >&2
  fi
  exit 1
fi
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing for the tests: ${missing[*]} (apt-get install -y ${missing[*]}) ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for item in "${unpack[@]}"; do
  name=${item%%:*}
  package=${item#*:}
  echo "Unpacking $package into $servers/$name (apt-get download + dpkg-deb -x) ..."
  work=$(mktemp -d)
  (cd "$work" && apt-get download -qq "$package" 2>/dev/null)
  mkdir -p "$servers/$name"
  chmod 755 "$(dirname "$servers")" "$servers"
  dpkg-deb -x "$work"/*.deb "$servers/$name"
  rm -rf "$work"
done
if [ "$start_postgres" = true ]; then
  bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")
  data=/var/lib/bounced-test/postgres
  echo "Starting a private PostgreSQL on 127.0.0.1:5432 ($data, trust auth, database test) ..."
  mkdir -p "$data" && chown postgres:postgres "$data"
  [ -f "$data/PG_VERSION" ] || runuser -u postgres -- "$bin/initdb" -D "$data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/log" -w start \
    -o "-p 5432 -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p 5432 -U postgres -Atc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
    || runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p 5432 -U postgres test
fi
