#!/bin/sh
# 卡点登记 checkpoint @@VERSION@@ — install from this folder, with no network.
#   sh install.sh [FOLDER]        (default: ~/.local/opt/checkpoint)
# Run it again to repair or update: each run makes a new copy of the program and switches to it only
# once it works. The station's database (~/.local/share/checkpoint/) is never touched.
set -eu

VERSION="@@VERSION@@"
KIT=$(cd "$(dirname "$0")" && pwd)
DEST=${1:-"$HOME/.local/opt/checkpoint"}

fail() { printf '%s\n' "$@" >&2; exit 1; }

# A Python this kit has wheels for: 3.11, 3.12 or 3.13.
PY=""
for cand in ${CHECKPOINT_PYTHON:-} python3.13 python3.12 python3.11 python3; do
    command -v "$cand" >/dev/null 2>&1 || continue
    if "$cand" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' >/dev/null 2>&1; then
        PY=$(command -v "$cand"); break
    fi
done
if [ -z "$PY" ]; then
    have=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo "-")
    fail "需要 Python 3.11、3.12 或 3.13，这台电脑的 python3 是 ${have}。什么都没有安装。" \
         "请先安装 Python 3.11 或更新版本（例如 sudo apt install python3），再运行 sh install.sh。" \
         "Python 3.11, 3.12 or 3.13 is needed; python3 here is ${have}. Nothing was installed."
fi
TAG=$("$PY" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')

# Every file as the kit was built: a stick that lost or changed a file installs nothing.
if ! (cd "$KIT" && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1); then
    fail "U盘上的安装文件不完整或被改动过（SHA256SUMS 核对不上）。什么都没有安装。请重新复制安装包。" \
         "The kit's files do not match SHA256SUMS. Nothing was installed; copy the kit again."
fi

APP="$DEST/app-$VERSION-$(date +%Y%m%d%H%M%S)-$$"
mkdir -p "$DEST"
cleanup() { rm -rf "$APP"; }
trap cleanup EXIT
# --without-pip: Debian's python3 without python3-venv can still make it; pip comes from the kit.
"$PY" -m venv --without-pip "$APP" >/dev/null 2>&1 || fail "无法在 $DEST 建立程序文件夹。什么都没有安装。" \
    "Could not create a virtual environment in $DEST. Nothing was installed."
PIP_WHEEL=$(ls "$KIT"/wheels/pip-*.whl | head -n 1)
pip() { "$APP/bin/python" "$PIP_WHEEL/pip" --disable-pip-version-check --no-cache-dir --isolated "$@"; }
pip install --quiet --no-index --find-links "$KIT/wheels" --require-hashes -r "$KIT/requirements/$TAG.txt" \
    || fail "安装失败，什么都没有改变。" "Installing failed; nothing was changed."
pip install --quiet --no-index --no-deps "$KIT"/wheels/checkpoint-"$VERSION"-*.whl \
    || fail "安装失败，什么都没有改变。" "Installing failed; nothing was changed."
got=$("$APP/bin/checkpoint" --version 2>/dev/null || true)
case "$got" in
    *"$VERSION"*) ;;
    *) fail "安装后的程序无法运行，什么都没有改变。" "The installed program does not run; nothing was changed." ;;
esac

# Switch to the new copy in one step, then keep only it and the one before (to go back by hand).
ln -sfn "$(basename "$APP")" "$DEST/current.new" && mv -fT "$DEST/current.new" "$DEST/current"
trap - EXIT
ls -1dt "$DEST"/app-* 2>/dev/null | tail -n +3 | while IFS= read -r old; do rm -rf "$old"; done
mkdir -p "$HOME/.local/bin"
ln -sfn "$DEST/current/bin/checkpoint" "$HOME/.local/bin/checkpoint"

echo "卡点登记 $VERSION 已安装：$DEST/current（Python $("$PY" -c 'import platform; print(platform.python_version())')）"
echo "运行：checkpoint   （找不到命令时：$HOME/.local/bin/checkpoint）"
echo "本卡点的数据库在 ~/.local/share/checkpoint/（或 --db 指定的文件），不在程序文件夹里，更新程序不会动它。"
echo "checkpoint $VERSION installed in $DEST/current; run: checkpoint"
