#!/usr/bin/env bash
# Install Laegna's desktop integration (menu entry, icons, AppStream metainfo, .laegna file type)
# under PREFIX (default ~/.local) and link PREFIX/bin/laegna to the built app.
#   bash packaging/install-desktop.sh [PREFIX]       e.g. sudo bash packaging/install-desktop.sh /usr/local
# Set LAEGNA_APP to the executable to link (default packaging/dist/laegna/laegna).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
prefix="${1:-$HOME/.local}"
app="${LAEGNA_APP:-$here/dist/laegna/laegna}"
share="$prefix/share"

if [[ ! -x "$app" ]]; then
    echo "error: $app is not an executable; build it first with: bash packaging/build.sh" >&2
    exit 2
fi

install -Dm644 "$here/io.laegna.Laegna.desktop" "$share/applications/io.laegna.Laegna.desktop"
install -Dm644 "$here/io.laegna.Laegna.metainfo.xml" "$share/metainfo/io.laegna.Laegna.metainfo.xml"
install -Dm644 "$here/laegna-mime.xml" "$share/mime/packages/laegna.xml"
install -Dm644 "$root/resources/icons/laegna.svg" "$share/icons/hicolor/scalable/apps/laegna.svg"
for size in 16 24 32 48 64 128 256 512; do
    install -Dm644 "$root/resources/icons/laegna-$size.png" "$share/icons/hicolor/${size}x${size}/apps/laegna.png"
done
mkdir -p "$prefix/bin"
ln -sfn "$(cd "$(dirname "$app")" && pwd)/$(basename "$app")" "$prefix/bin/laegna"

# refresh the caches when the tools are there (desktop environments also notice on their own)
command -v update-mime-database >/dev/null && update-mime-database "$share/mime" >/dev/null 2>&1 || true
command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -qf "$share/icons/hicolor" 2>/dev/null || true
echo "installed: $share/applications/io.laegna.Laegna.desktop (runs $prefix/bin/laegna -> $app)"
