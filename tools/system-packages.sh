#!/bin/sh
# Debian packages the tests drive for real: chromium (browser tests), CJK fonts (so Chinese is
# not boxes), nginx (serving test), LibreOffice + poppler (Word export checked as PDF; Calc reads the ledger .xlsx), Fandol
# fonts from texlive-lang-chinese (free 仿宋/宋/黑/楷). Installs only what is missing.
set -eu
pkgs="chromium fonts-noto-cjk nginx poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui texlive-lang-chinese"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "测试需要以下 Debian 软件包：$missing"
  echo "请先运行：sudo apt-get install -y --no-install-recommends$missing"
  exit 2
fi
echo "正在安装测试所需的 Debian 软件包：$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
