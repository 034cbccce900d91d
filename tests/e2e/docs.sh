#!/bin/sh
# docs.sh - the documents agree with the program: every option a command
# accepts (its table in src/cmd_*.c) is in its --help, in the man page and
# in the README; every environment variable the program reads is in the
# man page; --help fits 80 columns with balanced brackets; the man page
# names the program's version; config only reports (it creates nothing).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir

MAN="$TOP_SRCDIR/man/dlrepro.1"
README="$TOP_SRCDIR/README.md"
# fetch recognises --key and --token only to refuse them
REFUSED="fetch:key fetch:token"

plan 16

# The options of each command, as "command:option" words.
opts=""
for f in "$TOP_SRCDIR"/src/cmd_*.c; do
	c=$(basename "$f" .c | sed 's/^cmd_//; s/_/-/g')
	for o in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [01],.*/\1/p' "$f"); do
		case " $REFUSED " in *" $c:$o "*) continue ;; esac
		opts="$opts $c:$o"
	done
done
n=$(echo $opts | wc -w)
if [ "$n" -gt 60 ]; then
	ok "option tables read ($n options)"
else
	not_ok "option tables read" "only $n options found in src/cmd_*.c"
fi

# 2-4: each option in its command's --help, the man page, the README
miss_help="" miss_man="" miss_readme=""
for co in $opts; do
	c=${co%%:*} o=${co#*:}
	dl "$c" --help | grep -q -e "--$o\\b" || miss_help="$miss_help $c --$o"
	# in the command's own section of the man page
	awk -v h=".SS $(printf '%s' "$c" | sed 's/-/\\\\-/g')" '
		$0 == h { on = 1; next } /^\.S[SH] / { on = 0 } on' "$MAN" |
		grep -qF -- "$(printf '%s' "--$o" | sed 's/-/\\-/g')" ||
		miss_man="$miss_man $c --$o"
	grep -q -e "--$o\\b" "$README" || miss_readme="$miss_readme $c --$o"
done
for w in help man readme; do
	eval "m=\$miss_$w"
	if [ -z "$m" ]; then
		ok "every option is in the $w"
	else
		not_ok "every option is in the $w" "missing:$m"
	fi
done

# 5: -h, -V and --opt=VALUE are in the man page
if grep -q '^\.BR \\-h ' "$MAN" && grep -q '^\.BR \\-V ' "$MAN" &&
	grep -qF '\-\-db=' "$MAN"; then
	ok "man page names -h, -V and --option=VALUE"
else
	not_ok "man page names -h, -V and --option=VALUE"
fi

# 6-7: every --help line fits 80 columns, brackets balance on each line
help=$(dl --help; for c in $(dl --help | sed -n 's/^  \([a-z-]*\)  .*/\1/p'); do
	dl "$c" --help; done)
long=$(printf '%s\n' "$help" | awk 'length > 80')
if [ -z "$long" ]; then
	ok "--help lines fit 80 columns"
else
	not_ok "--help lines fit 80 columns" "$long"
fi
# (the usage block runs from "usage:" to the first blank line)
bad=$(printf '%s\n' "$help" | awk '/^usage: / { on = 1 } /^$/ { on = 0 }
	on {
	d = 0
	for (i = 1; i <= length($0); i++) {
		ch = substr($0, i, 1)
		if (ch == "[" || ch == "(") d++
		if (ch == "]" || ch == ")") d--
	}
	if (d != 0) print }')
if [ -z "$bad" ]; then
	ok "usage lines break between bracketed groups"
else
	not_ok "usage lines break between bracketed groups" "$bad"
fi

# 8: every environment variable read is in the man page
vars=$(cat "$TOP_SRCDIR"/src/*.c "$TOP_SRCDIR"/src/ui/*.c |
	sed -n 's/.*getenv("\([A-Z_]*\)").*/\1/p; s/.*{ "[a-z_]*", "\([A-Z_]*\)", [01],.*/\1/p' |
	sort -u)
miss=""
for v in $vars; do
	case $v in PATH|TERM) continue ;; esac
	grep -qF -- "$(printf '%s' "$v" | sed 's/-/\\-/g')" "$MAN" ||
		miss="$miss $v"
done
if [ -n "$vars" ] && [ -z "$miss" ]; then
	ok "every environment variable read is in the man page"
else
	not_ok "every environment variable read is in the man page" \
		"missing:$miss"
fi

# 9: the man page's version is the program's
v=$(dl --version)
if head -1 "$MAN" | grep -qF "\"$v\""; then
	ok "man page names $v"
else
	not_ok "man page names $v" "$(head -1 "$MAN")"
fi

# 10: the man page renders without warnings (groff is man's own renderer)
if command -v groff >/dev/null 2>&1; then
	w=$(groff -man -ww -z "$MAN" 2>&1)
	if [ -z "$w" ]; then
		ok "groff -man -ww renders the man page without warnings"
	else
		not_ok "groff -man -ww renders the man page without warnings" "$w"
	fi
else
	skip "groff -man -ww renders the man page" "groff is not installed"
fi

# 11-12: config reports where the database would go and creates nothing
run dl config
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" |
	grep -qF "database      $XDG_DATA_HOME/dlrepro/dlrepro.db (default)" &&
	[ ! -e "$XDG_DATA_HOME/dlrepro" ]; then
	ok "config names the default database and creates no folder"
else
	not_ok "config names the default database and creates no folder" \
		"rc=$rc" "$out" "$(ls -la "$XDG_DATA_HOME" 2>&1)"
fi
run dl config --json --site ai --max-age 1h --api-base http://127.0.0.1:9/2.3 \
	--github-api http://127.0.0.1:9/gh
if [ "$rc" -eq 0 ] &&
	printf '%s' "$out" | grep -qF '"site":{"value":"ai","origin":"option"}' &&
	printf '%s' "$out" | grep -qF '"max_age":{"value":"1h","origin":"option"}'; then
	ok "config --site/--max-age/--api-base/--github-api show as options"
else
	not_ok "config --site/--max-age/--api-base/--github-api show as options" \
		"rc=$rc" "$out" "$err"
fi

# 13: DLREPRO_DB and XDG_CONFIG_HOME are where the man page says
mkdir -p "$XDG_CONFIG_HOME/dlrepro"
echo 'site = math' >"$XDG_CONFIG_HOME/dlrepro/config"
run env DLREPRO_DB="$T/env.db" "$DLREPRO_BIN" config
out2=$(env DLREPRO_DB="$T/env.db" "$DLREPRO_BIN" --db "$T/env.db" config)
# --db naming the same path is still the option that decided
if printf '%s\n' "$out" | grep -qF "database      $T/env.db (environment)" &&
	printf '%s\n' "$out2" | grep -qF "database      $T/env.db (option)" &&
	printf '%s\n' "$out" | grep -qF "site          math (config file)"; then
	ok "DLREPRO_DB and XDG_CONFIG_HOME are honoured"
else
	not_ok "DLREPRO_DB and XDG_CONFIG_HOME are honoured" "$out" "$err"
fi
rm -r "$XDG_CONFIG_HOME/dlrepro"

# 14-16: stats fits 80 columns; export's summary counts in words
DB="$T/s.db"
dl --db "$DB" import --quiet "$TOP_SRCDIR/tests/fixtures/session_posts.json"
dl --db "$DB" session start so:55328966 >/dev/null &&
	dl --db "$DB" session tick logging >/dev/null &&
	dl --db "$DB" session stop --outcome reproduced --framework "TF + Keras" \
		>/dev/null
run dl --db "$DB" stats
long=$(printf '%s\n' "$out" | awk 'length > 80')
if [ "$rc" -eq 0 ] && [ -n "$out" ] && [ -z "$long" ]; then
	ok "stats lines fit 80 columns"
else
	not_ok "stats lines fit 80 columns" "rc=$rc" "$long"
fi
run dl --db "$DB" export --format replication --out "$T/rep"
if [ "$rc" -eq 0 ] && [ "$err" = \
	"dlrepro: wrote 1 reproduction attempt (1 reproduced) to $T/rep" ]; then
	ok "export --format replication: 1 attempt, singular"
else
	not_ok "export --format replication: 1 attempt, singular" "$err"
fi
run dl --db "$DB" export --format csv --out -
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | head -1 | grep -q '^session_id,' &&
	[ -z "$err" ]; then
	ok "export --out - writes to standard output"
else
	not_ok "export --out - writes to standard output" "rc=$rc" "$err"
fi

done_testing
