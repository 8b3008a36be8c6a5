#!/usr/bin/env bash
# Installs the Debian packages Kế hoạch needs when they are missing.
#   base: gettext (compiles the Vietnamese catalogue), LibreOffice and metric-compatible
#         Times New Roman substitutes (official documents as PDF), espeak-ng and lame
#         (loudspeaker bulletins read aloud, as MP3)
#   test: base + Chromium for browser journeys, poppler-utils (PDF pages as PNG), DejaVu
# Needs root (or passwordless sudo); otherwise it says what to install and goes on,
# and the test run decides whether a missing tool is fatal.
set -euo pipefail
want=(gettext libreoffice-writer-nogui fonts-liberation2 fonts-croscore espeak-ng lame postgresql-client)
if [ "${1:-base}" = "test" ]; then
  want+=(chromium poppler-utils fonts-dejavu-core)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "system-deps: please install: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt-get (a second checkout's set-up, unattended upgrades) holds the lock: wait for
# it, up to ten minutes, rather than fail the run.
for _ in $(seq 120); do
  pgrep -x 'apt-get|apt|dpkg' >/dev/null || break
  sleep 5
done
lock=(-o DPkg::Lock::Timeout=600)
$sudo apt-get "${lock[@]}" update -qq
$sudo apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
