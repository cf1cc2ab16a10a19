# to-ktap.awk: tests/check.sh's lines as one KTAP stream, which TAP tools
# (perl's prove, TAP::Parser) read too:
#
#	PASS DESC			ok N DESC
#	FAIL NAME: WHY			not ok N NAME # WHY
#	SKIP NAME: WHY			ok N NAME # SKIP WHY
#	anything else			# anything else
#
# The version line comes first, the plan "1..N" once the results are all
# in (TAP allows it last, and only then is N known), just before the tally
# line "N passed, N failed, N skipped (T s)", kept as a diagnostic. Exits 1
# if that tally is not what was numbered here.
BEGIN {
	print "KTAP version 1"
	fflush()
	n = 0; passed = 0; failed = 0; skipped = 0
	planned = 0; wrong = 0
}

# desc TEXT: TEXT as a result line's description, which cannot hold a "#"
# (it would end the description there).
function desc(text) {
	gsub(/#/, " ", text)
	return text
}

# split_why LINE: NAME (before the first ": ") into name, WHY into why.
function split_why(line) {
	if ((i = index(line, ": ")) > 0) {
		name = substr(line, 1, i - 1)
		why = substr(line, i + 2)
	} else {
		name = line
		why = ""
	}
}

function plan() {
	if (!planned)
		print "1.." n
	planned = 1
}

{ sub(/\r$/, "") }

!planned && /^PASS / {
	n++; passed++
	print "ok " n " " desc(substr($0, 6))
	fflush()
	next
}

!planned && /^FAIL / {
	n++; failed++
	split_why(substr($0, 6))
	if (why == "")
		why = "failed"
	# A reason that starts with a directive's word would turn the failure
	# into a skip or an expected failure.
	if (tolower(why) ~ /^[ \t]*(skip|todo)/)
		why = "failed: " why
	print "not ok " n " " desc(name) " # " why
	fflush()
	next
}

!planned && /^SKIP / {
	n++; skipped++
	split_why(substr($0, 6))
	print "ok " n " " desc(name) " # SKIP " (why != "" ? why : "skipped")
	fflush()
	next
}

/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped/ {
	plan()
	print "# " $0
	if ($1 != passed || $3 != failed || $5 != skipped) {
		print "# to-ktap: numbered " passed " passed, " failed " failed, " skipped " skipped; the tally above says otherwise"
		wrong = 1
	}
	fflush()
	next
}

# A result after the plan is out of the stream: said, and a failure.
planned && /^(PASS|FAIL|SKIP) / { wrong = 1 }

/^#( |$)/ { print; fflush(); next }

{ print "# " $0; fflush() }

END {
	plan()
	exit wrong
}
