# from-ktap.awk -v name=NAME: the output of a test program that speaks KTAP
# (tests/unit/unit.h) as tests/check.sh's result lines:
#
#	ok N DESC			PASS DESC
#	ok N DESC # SKIP WHY		SKIP DESC: WHY
#	not ok N DESC # WHY		FAIL DESC: WHY
#
# Result lines count from the version line on ("KTAP version 1"); the
# version and plan lines are dropped, every other line is passed on as it
# is. A program that planned more results than it printed (it crashed, or
# stopped early) fails as "FAIL NAME: ...".
BEGIN { ktap = 0; planned = 0; results = 0 }

{ sub(/\r$/, "") }

/^(KTAP version [0-9]+|TAP version [0-9]+)[ \t]*$/ { ktap = 1; next }

ktap && /^1\.\.[0-9]+/ {
	planned += substr($1, 4) + 0
	next
}

ktap && /^(not )?ok [0-9]+/ {
	results++
	failed = ($1 == "not")
	rest = $0
	sub(/^(not )?ok [0-9]+[ \t]*(-[ \t]+)?/, "", rest)
	desc = rest
	data = ""
	if ((i = index(rest, "#")) > 0) {
		desc = substr(rest, 1, i - 1)
		data = substr(rest, i + 1)
		sub(/^[ \t]+/, "", data)
	}
	sub(/[ \t]+$/, "", desc)
	if (failed) {
		print "FAIL " desc ": " (data != "" ? data : "failed")
	} else if (toupper(substr(data, 1, 4)) == "SKIP") {
		why = substr(data, 5)
		sub(/^[ \t:]+/, "", why)
		print "SKIP " desc ": " (why != "" ? why : "skipped")
	} else {
		print "PASS " desc (data != "" ? " (" data ")" : "")
	}
	fflush()
	next
}

{ print; fflush() }

END {
	if (results < planned)
		print "FAIL " name ": printed " results " of its " planned " results"
}
