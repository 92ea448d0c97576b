#!/usr/bin/env bash
# Build rsqm as a wheel, install it (not editable) into a fresh venv in a temp
# folder, and smoke-run every command outside the checkout: each --help, then
# init/validate/gaps --json/export --check on a new workspace and on a copy of
# the bundled demo, every other command run for real on that copy, then the
# dashboard's first page (Streamlit AppTest).
# Proves the package needs nothing from the repository checkout.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s (%s s)\n' "$*" "$SECONDS"; }

step "build the wheel"
"$python" -m venv "$work/venv"
bin="$work/venv/bin"
# a copy of the tracked files only, so a dirty working tree cannot leak into the wheel
mkdir "$work/src"
(cd "$repo" && git ls-files -z | xargs -0 cp --parents --no-dereference -t "$work/src")
"$bin/python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/src"
wheel=("$work"/dist/rsqm-*.whl)

step "install ${wheel[0]##*/} (not editable)"
"$bin/python" -m pip install --quiet "${wheel[0]}"
cd "$work"  # away from the checkout: only the installed package can be imported
"$bin/python" - <<'PY'
import rsqm, sys
assert "site-packages" in rsqm.__file__, f"rsqm imported from {rsqm.__file__}, not the installed wheel"
print("rsqm from", rsqm.__file__)
PY

step "every command's --help"
"$bin/rsqm" --help >/dev/null  # the console script itself, once
"$bin/python" - <<'PY'
import argparse, contextlib, io, sys
from rsqm.cli import build_full_parser, main

def commands(parser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name)
                yield from commands(sub, (*path, name))

every = list(commands(build_full_parser()))
for words in every:  # in one process: starting 50 interpreters would take most of the run
    out, code = io.StringIO(), None
    try:
        with contextlib.redirect_stdout(out):
            main([*words, "--help"])
    except SystemExit as ended:
        code = ended.code
    if code != 0 or "usage:" not in out.getvalue():
        sys.exit(f"rsqm {' '.join(words)} --help failed (exit {code})")
print(f"{len(every)} commands answer --help")
PY

smoke() {  # WORKSPACE: validate, gaps --json, export --check must all pass
    local ws="$1"
    "$bin/rsqm" validate -w "$ws"
    "$bin/rsqm" gaps --json -w "$ws" | "$bin/python" -c 'import json, sys; data = json.load(sys.stdin); assert "readiness" in data and data["frameworks"], data.keys()'
    "$bin/rsqm" export --check -w "$ws" >/dev/null 2>"$work/progress.log"
    "$bin/rsqm" export --out "$work/$(basename "$ws").zip" -w "$ws" >/dev/null 2>"$work/progress.log"
    "$bin/rsqm" verify "$work/$(basename "$ws").zip" >/dev/null
}

step "a new workspace"
"$bin/rsqm" init "$work/fresh" --service "Smoke Test Service" >/dev/null
smoke "$work/fresh"

step "a copy of the bundled demo"
"$bin/rsqm" synth "$work/demo" --size S >/dev/null
smoke "$work/demo"

step "every other command, run for real on the demo copy"
ws="$work/demo"
run() { "$bin/rsqm" "$@" -w "$ws" >"$work/out.log" 2>&1 || { cat "$work/out.log"; echo "rsqm $* failed"; exit 1; }; }
run measures --json
run workforce --json
run workforce log P01 --supervision 2026-11-20
run outcomes --period 2025 --json
run audit-summary --json
run audit list
run audit-report 2026-Q3 --out "$work/round.docx"
run renewal --year 2025 --out "$work/renewal.docx"
run request list --json
run request add --indicator 5.2 --question "Which risk tool is used?" --by "RJC assessor"
run evidence list --json
run evidence types
printf 'Our leaflet.\n' >"$work/leaflet.txt"
run evidence add "$work/leaflet.txt" --type participant_information --title "Participant leaflet" --dated 2026-11-01
run sample --advise --expected 0.9 --margin 0.1
run sample --name smoke --size 3 --seed 7 --by supervisor1
"$bin/rsqm" schema register >/dev/null
run keys new
"$bin/rsqm" export --out "$work/signed.zip" --sign -w "$ws" >/dev/null 2>"$work/progress.log"
"$bin/rsqm" verify "$work/signed.zip" >/dev/null
run log --limit 5
run backup --out "$work/backup.zip"
"$bin/rsqm" backup --verify "$work/backup.zip" >/dev/null
"$bin/rsqm" restore "$work/backup.zip" --to "$work/restored" >/dev/null
"$bin/rsqm" validate -w "$work/restored" >/dev/null
"$bin/rsqm" cases map-template "$ws/evidence/cases.csv" --out "$work/map.yaml" >/dev/null
"$bin/rsqm" cases import "$ws/evidence/cases.csv" --map "$work/map.yaml" --dry-run -w "$ws" >/dev/null
run users list
echo "ran 30 commands on a real workspace"

step "the dashboard renders the demo"
RSQM_WORKSPACE="$work/demo" "$bin/python" - <<'PY'
from pathlib import Path
import rsqm
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(str(Path(rsqm.__file__).parent / "ui" / "entry" / "app.py"), default_timeout=60)
app.session_state["demo_role"] = "coordinator"
app.run()
assert not app.exception, [e.value for e in app.exception]
shown = [e.value for e in app.title] + [e.value for e in app.header] + [e.value for e in app.subheader]
assert shown, "the dashboard rendered no headings"
print("dashboard rendered:", "; ".join(map(str, shown[:3])))
PY

printf '\nwheel smoke passed in %s s\n' "$SECONDS"
