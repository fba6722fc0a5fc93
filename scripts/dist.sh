#!/usr/bin/env bash
# Builds the downloads into dist/ (make dist): scripts/dist.sh [linux] [windows]
#   linux:   hubextract_V_amd64.deb (nfpm: the binary, the .desktop file, the
#            icons, the AppStream metadata; depends on the WebKitGTK 4.1 and
#            GTK 3 runtime packages) and hubextract-V-linux-amd64.tar.gz
#   windows: hubextract-V-windows-ARCH.exe and the NSIS installer
#            hubextract-V-windows-ARCH-installer.exe for amd64 and arm64
#            ($DIST_WINDOWS_ARCHES; wails build -nsis, cross-built; needs
#            makensis from Debian's nsis package)
# and SHA256SUMS of what dist/ holds. V is $VERSION without its leading v
# (the Makefile passes git describe's); `hubextract version` says the same.
# Expects the frontend built (frontend/dist) and the wails CLI installed:
# the Makefile's dist target sees to both.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux windows)

nfpm_version=v2.45.2
app_id=org.hubextract.HubSpotExtractor
gobin=$(go env GOBIN)
gobin=${gobin:-$(go env GOPATH)/bin}

# --- the version -------------------------------------------------------------
v=${VERSION:-$(git describe --tags --match 'v*' --dirty 2>/dev/null || echo dev)}
v=${v#v}
case "$v" in
  [0-9]*) ;;
  dev) v="0.0.0-dev.$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" ;;
  *) v="0.0.0-$v" ;;
esac
# git describe's N.N.N-K-gSHA[-dirty] comes after N.N.N: make it semver's
# N.N.N+K.gSHA[.dirty], which the .deb sorts after N.N.N too (a - would make
# it a pre-release, sorted before).
if [[ $v =~ ^([0-9]+\.[0-9]+\.[0-9]+)-([0-9]+)-(g[0-9a-f]+)(-dirty)?$ ]]; then
  v="${BASH_REMATCH[1]}+${BASH_REMATCH[2]}.${BASH_REMATCH[3]}${BASH_REMATCH[4]/-/.}"
fi
numeric=$(grep -Eo '^[0-9]+(\.[0-9]+){0,2}' <<<"$v")
while [ "$(tr -cd . <<<"$numeric" | wc -c)" -lt 2 ]; do numeric="$numeric.0"; done
ldflags="-s -w -X hubextract/backend/cli.Version=$v"
echo "dist: version $v"

mkdir -p dist
t0=$SECONDS

linux() {
  local stage=dist/.stage-linux arch=amd64
  rm -rf "$stage" && mkdir -p "$stage"
  echo "dist: linux/$arch binary"
  CGO_ENABLED=1 GOOS=linux GOARCH=$arch go build -tags desktop,production,webkit2_41 -trimpath -buildmode=pie \
    -ldflags "$ldflags" -o "$stage/hubextract" .

  local share=$stage/share size
  for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    convert build/appicon.png -resize "${size}x${size}" -strip \
      "$share/icons/hicolor/${size}x${size}/apps/hubextract.png"
  done
  install -Dm644 "build/linux/$app_id.desktop" "$share/applications/$app_id.desktop"
  mkdir -p "$share/metainfo"
  sed -e "s/@VERSION@/$v/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" "build/linux/$app_id.metainfo.xml" \
    >"$share/metainfo/$app_id.metainfo.xml"
  install -Dm644 build/linux/copyright "$share/doc/hubextract/copyright"
  sed "s/@VERSION@/$v/; s/@DATE@/$(date -uR)/" build/linux/changelog | gzip -9n \
    >"$share/doc/hubextract/changelog.gz"
  chmod -R u=rwX,go=rX "$share"

  echo "dist: .deb (nfpm $nfpm_version)"
  local nfpm=$gobin/nfpm
  if ! go version -m "$nfpm" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/goreleaser/nfpm/v2[[:space:]]+${nfpm_version}[[:space:]]"; then
    go install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$nfpm_version"
  fi
  rm -f dist/hubextract_*_"$arch".deb
  VERSION=$v "$nfpm" package --config build/linux/nfpm.yaml --packager deb --target dist/ >/dev/null

  echo "dist: .tar.gz"
  local name=hubextract-$v-linux-$arch
  rm -rf "dist/.stage-tar" && mkdir -p "dist/.stage-tar/$name"
  cp "$stage/hubextract" "dist/.stage-tar/$name/"
  cp "build/linux/$app_id.desktop" "$share/metainfo/$app_id.metainfo.xml" "dist/.stage-tar/$name/"
  cp "$share/icons/hicolor/256x256/apps/hubextract.png" "dist/.stage-tar/$name/"
  tar -C dist/.stage-tar --owner=0 --group=0 -czf "dist/$name.tar.gz" "$name"
  rm -rf dist/.stage-tar "$stage"
}

windows() {
  command -v makensis >/dev/null || {
    echo "dist: makensis is missing: apt-get install nsis" >&2
    return 1
  }
  local arch
  for arch in ${DIST_WINDOWS_ARCHES:-amd64 arm64}; do
    windows_arch "$arch" || return 1
  done
}

# windows_arch ARCH: the .exe and the installer of one architecture. wails
# build reads wails.json and build/windows/ of the project: a staging copy
# gets the version (the Windows resources take N.N.N), so the work tree is
# never touched.
windows_arch() {
  local arch=$1 stage=dist/.stage-windows
  rm -rf "$stage" && mkdir -p "$stage"
  tar -C . --exclude=./.git --exclude=./dist --exclude=./build/bin --exclude=./test-artifacts \
    --exclude=./frontend/node_modules --exclude=./tests --exclude=./docs -cf - . | tar -C "$stage" -xf -
  node -e '
    const fs = require("fs");
    const cfg = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    cfg.info.productVersion = process.argv[2];
    fs.writeFileSync(process.argv[1], JSON.stringify(cfg, null, 2));
  ' "$stage/wails.json" "$numeric"
  sed -i "s/\"ProductVersion\": \"{{.Info.ProductVersion}}\"/\"ProductVersion\": \"$v\"/" "$stage/build/windows/info.json"

  echo "dist: windows/$arch .exe and installer (wails build -nsis)"
  local log=dist/.wails-windows-$arch.log
  (cd "$stage" && "$gobin/wails" build -m -s -trimpath -platform "windows/$arch" -nsis -webview2 download \
    -tags production -ldflags "$ldflags" -o hubextract.exe) >"$log" 2>&1 || {
    tail -n 30 "$log" >&2
    return 1
  }
  cp "$stage/build/bin/hubextract.exe" "dist/hubextract-$v-windows-$arch.exe"
  cp "$stage/build/bin/HubSpot Extractor-$arch-installer.exe" "dist/hubextract-$v-windows-$arch-installer.exe"
  rm -rf "$stage" "$log"
}

for t in "${targets[@]}"; do
  case "$t" in
    linux | windows) "$t" ;;
    *) echo "dist: unknown target $t (linux, windows)" >&2; exit 2 ;;
  esac
done

(cd dist && find . -maxdepth 1 -type f -name 'hubextract*' -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)
echo "dist: done in $((SECONDS - t0))s, version $v:"
(cd dist && ls -l --time-style=+ hubextract* SHA256SUMS | awk '{printf "  %10d  %s\n", $5, $NF}')
