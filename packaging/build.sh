#!/usr/bin/env bash
# Build the one-folder desktop app into packaging/dist/laegna (start it as packaging/dist/laegna/laegna).
# Uses the current Python environment, which must already have Laegna's dependencies
# (pip install -e . or pip install laegna-gui). Installs PyInstaller if it is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python}"

if ! "$python" -c "import PyInstaller" 2>/dev/null; then
    echo "PyInstaller is missing: installing it (pip install pyinstaller)"
    "$python" -m pip install pyinstaller  # only PyInstaller: never touch the pinned torch
fi
if ! "$python" -c "import laegna_gui, torch, numba, PySide6, pyqtgraph" 2>/dev/null; then
    echo "error: this Python cannot import Laegna and its dependencies; run pip install -e '$root' first" >&2
    exit 2
fi

cd "$root"
"$python" -m PyInstaller --noconfirm --clean \
    --distpath "$here/dist" --workpath "$here/build" \
    "$here/laegna.spec"
echo "built: $here/dist/laegna/laegna ($(du -sh "$here/dist/laegna" | cut -f1))"
