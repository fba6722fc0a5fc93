#!/usr/bin/env bash
# make test-dist: checks what `make dist` put into dist/, the way a user gets
# it. Installs Debian packages (lintian, appstream, desktop-file-utils, wine)
# and the .deb itself, so it runs as root (or with sudo), on Debian/Ubuntu.
#   .deb: lintian has no errors; apt-get install ./dist/...deb; the installed
#         hubextract version and demo run; the .desktop file and the
#         AppStream metadata validate; apt-get remove leaves nothing behind.
#   .tar.gz: the binary inside says the version.
#   Windows, under wine: hubextract.exe version and demo print; the installer
#         installs silently (/S) into the wine prefix and its uninstaller
#         removes it. Skipped, and said so, when wine cannot be installed.
# Not part of make test.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=()
skipped=()
logs=test-artifacts/dist
mkdir -p "$logs"
export DEBIAN_FRONTEND=noninteractive
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

check() {
  local name=$1
  shift
  local log="$logs/$(tr -cs 'a-zA-Z0-9' '-' <<<"$name" | sed 's/-$//').log"
  if "$@" >"$log" 2>&1 </dev/null; then
    printf '  PASS  %s\n' "$name"
    passed=$((passed + 1))
  else
    printf '  FAIL  %s   log: %s\n' "$name" "$log"
    tail -n 15 "$log" | sed 's/^/        | /'
    failed+=("$name")
  fi
}
skip() {
  printf '  SKIP  %s (%s)\n' "$1" "$2"
  skipped+=("$1")
}

deb=$(ls dist/hubextract_*_amd64.deb 2>/dev/null | head -n 1)
tgz=$(ls dist/hubextract-*-linux-amd64.tar.gz 2>/dev/null | head -n 1)
exe=$(ls dist/hubextract-*-windows-amd64.exe 2>/dev/null | grep -v installer | head -n 1)
inst=$(ls dist/hubextract-*-windows-amd64-installer.exe 2>/dev/null | head -n 1)
[ -n "$deb$tgz$exe$inst" ] || { echo "test-dist: dist/ is empty: run make dist first" >&2; exit 1; }
version=$(sed -n 's/^hubextract-\(.*\)-linux-amd64.tar.gz$/\1/p' <<<"${tgz##*/}")
[ -n "$version" ] || version=$(sed -n 's/^hubextract-\(.*\)-windows-amd64.exe$/\1/p' <<<"${exe##*/}")

tools=()
for t in lintian:lintian appstreamcli:appstream desktop-file-validate:desktop-file-utils; do
  command -v "${t%%:*}" >/dev/null || tools+=("${t#*:}")
done
if [ ${#tools[@]} -gt 0 ]; then
  echo "test-dist: installing ${tools[*]}"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null
fi

echo "make test-dist ($version):"
checksums() { (cd dist && sha256sum -c SHA256SUMS); }
check "SHA256SUMS match" checksums

# --- Linux -------------------------------------------------------------------
lintian_errors() {
  local out
  out=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges')
  echo "$out"
  ! grep -q '^E:' <<<"$out"
}
headless_demo() { # BIN: the demo extraction, in a throwaway app folder, with no display
  local dir out
  dir=$(mktemp -d)
  out=$(
    unset DISPLAY WAYLAND_DISPLAY
    export HUBEXTRACT_CONFIG_DIR="$dir"
    "$@" demo 2>&1
  )
  local rc=$?
  rm -rf "$dir"
  echo "$out"
  [ $rc -eq 0 ]
}
says_version() { "$@" version | tee /dev/stderr | grep -qF "$version"; }
installed() {
  "${sudo[@]}" apt-get install -y -qq "./$deb" && [ -x /usr/bin/hubextract ]
}
validate_desktop() { desktop-file-validate /usr/share/applications/org.hubextract.HubSpotExtractor.desktop; }
validate_appstream() { appstreamcli validate --no-net --explain /usr/share/metainfo/org.hubextract.HubSpotExtractor.metainfo.xml; }
removed() {
  "${sudo[@]}" apt-get remove -y -qq hubextract &&
    ! dpkg-query -W -f='${db:Status-Abbrev}' hubextract 2>/dev/null | grep -q '^ii' &&
    ! [ -e /usr/bin/hubextract ] && ! [ -e /usr/share/applications/org.hubextract.HubSpotExtractor.desktop ]
}
if [ -n "$deb" ]; then
  check "lintian: no errors" lintian_errors
  check "apt-get install ./$deb" installed
  check "installed: hubextract version" says_version /usr/bin/hubextract
  check "installed: hubextract demo" headless_demo /usr/bin/hubextract
  check "desktop-file-validate" validate_desktop
  check "appstreamcli validate" validate_appstream
  check "apt-get remove: nothing left" removed
else
  skip ".deb" "not in dist/"
fi
tar_version() {
  local d
  d=$(mktemp -d) && tar -C "$d" -xzf "$tgz" && says_version "$d"/hubextract-*/hubextract
}
if [ -n "$tgz" ]; then check ".tar.gz: hubextract version" tar_version; else skip ".tar.gz" "not in dist/"; fi

# --- Windows, under wine -------------------------------------------------------
if [ -n "$exe$inst" ] && ! command -v wine >/dev/null; then
  echo "test-dist: installing wine (a few minutes the first time)"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null 2>&1 || true
fi
# Go 1.24+ needs ProcessPrng from bcryptprimitives.dll, which wine gained
# only in 9.x: on an older wine (Debian 12 has 8.0) the runtime stops with
# "bcryptprimitives.dll not found". A stand-in that calls BCryptGenRandom,
# built with mingw-w64, goes into the test prefix's system32 (the real
# Windows has the DLL; nothing here ships it).
prng_shim() {
  local sys32="$WINEPREFIX/drive_c/windows/system32" src
  [ ! -e "$sys32/bcryptprimitives.dll" ] || return 0
  command -v x86_64-w64-mingw32-gcc >/dev/null ||
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64-win32 >/dev/null || return 1
  src=$(mktemp -d)
  cat >"$src/prng.c" <<'C'
#include <windows.h>
#include <bcrypt.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
C
  printf 'LIBRARY bcryptprimitives\nEXPORTS\n  ProcessPrng\n' >"$src/prng.def"
  x86_64-w64-mingw32-gcc -shared -O2 -o "$sys32/bcryptprimitives.dll" "$src/prng.c" "$src/prng.def" -lbcrypt
  local rc=$?
  rm -rf "$src"
  return $rc
}

if ! command -v wine >/dev/null; then
  skip "Windows under wine" "wine is not installed and could not be"
else
  export WINEPREFIX=${WINEPREFIX:-$PWD/test-artifacts/dist/wineprefix} WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  mkdir -p "$WINEPREFIX"
  # The installer refuses anything older than Windows 10 (exit code 64),
  # and a new prefix may say it is older: make it Windows 10.
  wine_init() {
    timeout 300 wineboot --init && prng_shim &&
      timeout 60 wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f
  }
  check "wine: prefix" wine_init
  wine_run() { timeout 300 wine "$@"; }
  if [ -n "$exe" ]; then
    check "wine: hubextract.exe version" says_version wine_run "$exe"
    check "wine: hubextract.exe demo" headless_demo wine_run "$exe"
  fi
  if [ -n "$inst" ]; then
    instdir="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/Programs/HubSpot Extractor"
    wine_install() {
      wine_run "$inst" /S && ls -la "$instdir" && [ -f "$instdir/hubextract.exe" ] && [ -f "$instdir/uninstall.exe" ] &&
        [ -f "$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/HubSpot Extractor.lnk" ]
    }
    wine_installed_runs() { says_version wine_run "$instdir/hubextract.exe"; }
    wine_uninstall() {
      # The uninstaller copies itself to a temporary folder and returns at
      # once: wait for the folder to go.
      [ -f "$instdir/uninstall.exe" ] || { echo "not installed: no $instdir/uninstall.exe"; return 1; }
      wine_run "$instdir/uninstall.exe" /S
      local menu="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/HubSpot Extractor.lnk"
      for _ in $(seq 60); do
        if ! [ -e "$instdir/hubextract.exe" ] && ! [ -e "$menu" ]; then return 0; fi
        sleep 1
      done
      ls -la "$instdir" "$menu"
      return 1
    }
    check "wine: installer /S" wine_install
    check "wine: installed hubextract.exe version" wine_installed_runs
    check "wine: uninstaller /S removes it" wine_uninstall
  fi
fi

echo "test-dist: ${passed} passed, ${#failed[@]} failed, ${#skipped[@]} skipped"
[ ${#failed[@]} -eq 0 ]
