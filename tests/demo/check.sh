#!/bin/bash
# make demo as CI runs it: not on a terminal (so no live view), small
# counts, files under build/demo-results. Checks the files it leaves.
# One line per test: PASS/FAIL demo/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

out=build/demo-results
rm -rf "$out"
failed=0
fail() { echo "FAIL demo/$1: $2"; failed=1; }

if ! DEMO_N=50 DEMO_RACE="8 2000" DEMO_OUT=$out scripts/demo >"$out.log" 2>&1 </dev/null; then
	fail runs "scripts/demo failed: $(tail -c 600 "$out.log")"
	exit 1
fi
echo "PASS demo/runs"
grep -q 'Why is user space slower' "$out.log" && echo "PASS demo/prints-the-final-report" ||
	fail prints-the-final-report "$(tail -c 400 "$out.log")"
if note=$(python3 - "$out/trace.json" <<'PY' 2>&1
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["tool"] == "mymemtrace", doc.get("tool")
paths = {r["path"] for r in doc["rows"]}
assert paths == {"syscall", "kernel", "mmap"}, f"paths {sorted(paths)}"
assert not any(doc["drops"].values()), doc["drops"]
race = [r for r in doc["rows"] if r["path"] == "kernel" and r["size"] == 8]
assert race and all(r["count"] > 0 for r in race), "no race rows (kernel, 8 B)"
print(f"{len(doc['rows'])} rows on {', '.join(sorted(paths))}")
PY
); then
	echo "PASS demo/trace-json ($note)"
else
	fail trace-json "$note"
fi
head -1 "$out/trace.csv" 2>/dev/null | grep -q '^path,op,size,' && echo "PASS demo/trace-csv" ||
	fail trace-csv "no CSV header in $out/trace.csv"
if python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$out/trace.svg" 2>/dev/null &&
   rsvg-convert "$out/trace.svg" -o "$out/trace.png" 2>/dev/null && [ -s "$out/trace.png" ]; then
	echo "PASS demo/trace-svg-renders"
else
	fail trace-svg-renders "$out/trace.svg is not well-formed or does not render"
fi
for f in bench-syscall bench-mmap bench-kernel race-user-none race-kernel-mutex; do
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$out/$f.json" 2>/dev/null ||
		fail files "$out/$f.json is missing or not JSON"
done
[ $failed = 0 ] && echo "PASS demo/bench-and-race-json"
exit $failed
