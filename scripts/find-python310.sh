#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 runs on 3.8-3.10 only).
# Looks at $PYTHON310, python3.10 on PATH, pyenv's versions, uv's managed Pythons, /usr/bin.
set -u
is310() { [ -n "$1" ] && [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
candidates=("${PYTHON310:-}" "$(command -v python3.10 2>/dev/null || true)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for p in $(ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -rV); do candidates+=("$p"); done
fi
for p in "$HOME"/.pyenv/versions/3.10*/bin/python3.10 "$HOME"/.local/share/uv/python/cpython-3.10*/bin/python3.10 \
         /usr/local/bin/python3.10 /usr/bin/python3.10; do candidates+=("$p"); done
for p in "${candidates[@]}"; do
  if is310 "$p"; then echo "$p"; exit 0; fi
done
echo "error: Python 3.10 not found (Rasa 3.6 needs 3.8-3.10). Install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
