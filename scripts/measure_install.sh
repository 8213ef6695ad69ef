#!/usr/bin/env bash
# What `pip install` of the package costs a new user: time, size on disk and number of packages installed.
#
#     scripts/measure_install.sh [SPEC]      # SPEC: what to install (default: the project folder, ".")
#
# A fresh virtual environment in a temporary folder, pip's cache bypassed (every wheel is downloaded as a
# new user's would be); the size is what the install adds to site-packages, the count the packages it adds
# (not pip, nor the setuptools a fresh venv may already hold). Prints one line per figure; nothing is kept.
set -euo pipefail
spec="${1:-.}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
site="$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
before_kb="$(du -sk "$site" | cut -f1)"
"$work/venv/bin/pip" list --format=freeze 2>/dev/null | sed 's/==.*//' | sort > "$work/before.txt"
start="$(date +%s.%N)"
"$work/venv/bin/pip" install --quiet --no-cache-dir "$spec"
end="$(date +%s.%N)"
after_kb="$(du -sk "$site" | cut -f1)"
"$work/venv/bin/pip" list --format=freeze 2>/dev/null | sed 's/==.*//' | sort > "$work/after.txt"
added="$(comm -13 "$work/before.txt" "$work/after.txt")"
count="$(echo "$added" | grep -c .)"
echo "install time: $(python3 -c "print(f'{$end - $start:.0f} s')")"
echo "size on disk: $(( (after_kb - before_kb) / 1024 )) MiB"
echo "packages: $count (libya-conflict included)"
echo "$added" | tr '\n' ' '
echo
