#!/usr/bin/env bash
# Sets up a fresh machine (Debian, Node.js 20, root or sudo) for Postbode: the system packages
# the tests and the PHP path need, the pinned pnpm, and the workspace's dependencies.
# Idempotent: installs only what is missing. Used by .ci/run and by the README's commands.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Debian packages: redis-server and redis-sentinel (tests start their own, Sentinels and a
# Cluster too), PHP with phpredis and Predis (the
# generated publisher), composer (the PHP README's examples are installed as a PHP developer
# installs them, packages/newcomer-tests), php-fpm and nginx (the bench's legacy receipt path;
# nginx also tests the shipped load-balancer configuration, deploy/nginx), prometheus
# (`promtool test rules` checks the shipped alerting rules, deploy/prometheus), Chromium
# (browser tests; never downloaded by a test tool), procps (`ps`: .ci/run checks that nothing
# the run started is left running).
need=()
command -v ps >/dev/null 2>&1 || need+=(procps)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-sentinel >/dev/null 2>&1 || need+=(redis-sentinel)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v php >/dev/null 2>&1 || need+=(php-cli)
# Asked of php itself: `php -m | grep -q` under pipefail fails at random when grep's early
# exit kills php with SIGPIPE.
php -r 'exit(extension_loaded("redis") ? 0 : 1);' 2>/dev/null || need+=(php-redis)
[ -f /usr/share/php/Predis/Autoloader.php ] || need+=(php-predis)
# php-fpm and nginx: `pnpm bench`'s receipt-cost scenario runs the legacy HTTP path as a legacy
# app runs (nginx in front of php-fpm, each started by the bench with its own config).
compgen -G '/usr/sbin/php-fpm*' >/dev/null || need+=(php-fpm)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v composer >/dev/null 2>&1 || need+=(composer)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
for extra in ${POSTBODE_EXTRA_APT_PACKAGES:-}; do
  dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# pnpm, pinned by package.json's packageManager. corepack fails its signature check against
# the registry mirror these machines use, so install it with npm.
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION"
  $SUDO npm install -g --silent "pnpm@$PNPM_VERSION"
fi

pnpm install --frozen-lockfile
