#!/bin/sh
# Installs sarifkit from a release: downloads the archive for this machine
# and the release's SHA256SUMS, checks the archive's digest, and puts
# sarifkit and its sarif-VERB names (links to it) into BINDIR.
#
#   curl -sSfL https://raw.githubusercontent.com/sarifkit/sarifkit/main/install.sh | sh -s -- -b ~/.local/bin v0.1.0
#
# usage: install.sh [-b BINDIR] [-u BASEURL] [VERSION]
#   -b BINDIR   where to install (default: ~/.local/bin, created if missing)
#   -u BASEURL  where releases are: BASEURL/VERSION/FILE (default: the
#               project's GitHub releases); only https, unless given here
#   VERSION     vX.Y.Z[-PRE], or latest (the default): the release that
#               BASEURL/../latest redirects to (GitHub's releases/latest,
#               which, unlike the API, has no rate limit for anonymous
#               callers)
#
# Nothing is installed unless every step succeeds: a download that fails
# (an unknown version answers 404), a platform the release has no archive
# for, a digest that differs from SHA256SUMS or is missing from it, an
# archive member that would land outside the directory it is unpacked in.
# Needs curl or wget, tar (unzip on Windows) and sha256sum or shasum.
#
# Exit status:
#   0  installed
#   1  not installed: a download failed (no such release, the host is
#      unreachable or too slow), an unsupported platform, a BINDIR that
#      cannot be written
#   2  usage error
#   4  integrity failure, nothing installed: the archive does not match
#      SHA256SUMS, SHA256SUMS has no valid line (or conflicting lines) for
#      it, or the archive has a member outside its top directory
#
# Downloads give up on a host that stalls: curl, when less than 1 KiB/s
# arrives for 30 s (three tries, at most two minutes of retrying); wget,
# when nothing arrives for 30 s (three tries; a server that trickles
# bytes is bounded with curl only). SARIFKIT_INSTALL_STALL_SECONDS
# replaces the 30 s, for install.sh's own tests only.
#
# The whole script is a function called on its last line: a download of
# it cut short (curl ... | sh) runs nothing.
set -eu

default_base=https://github.com/sarifkit/sarifkit/releases/download
nl='
'
# Names and patterns compare bytes, whatever the user's locale.
LC_ALL=C
export LC_ALL

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
# refuse: an integrity failure (exit 4).
refuse() { say "$*: not installed"; exit 4; }
usage_text='usage: install.sh [-b BINDIR] [-u BASEURL] [VERSION]'
usage() { printf '%s\n' "$usage_text" >&2; exit 2; }

main() {

bindir=${HOME:+$HOME/.local/bin}
base=$default_base
explicit_base=
while getopts b:u:h opt; do
	case $opt in
	b) bindir=$OPTARG ;;
	u) base=${OPTARG%/} explicit_base=1 ;;
	h) printf '%s\n' "$usage_text"; exit 0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
version=${1:-latest}
[ -n "$bindir" ] || die "no BINDIR: give -b (HOME is not set)"

# valid_version VERSION: vMAJOR.MINOR.PATCH[-PRERELEASE], as .ci/release takes.
valid_version() {
	case $1 in *"$nl"*) return 1 ;; esac
	printf '%s\n' "$1" | grep -Eqx 'v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?'
}
if [ "$version" != latest ] && ! valid_version "$version"; then
	die "version '$version' is not latest nor vMAJOR.MINOR.PATCH[-PRERELEASE]"
fi

# https only, unless the base was given (a mirror, a local server).
case $base in
https://*) proto='=https' ;;
http://*) [ -n "$explicit_base" ] || die "BASEURL must be https"; proto='=http,https' ;;
*) die "BASEURL must be an http(s) URL: $base" ;;
esac

case $(uname -s) in
Linux) os=linux ;;
Darwin) os=darwin ;;
MINGW* | MSYS* | CYGWIN*) os=windows ;;
*) die "unsupported operating system: $(uname -s) (releases are for Linux, macOS and Windows)" ;;
esac
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) die "unsupported architecture: $(uname -m) (releases are for amd64 and arm64)" ;;
esac

stall=${SARIFKIT_INSTALL_STALL_SECONDS:-30}
case $stall in '' | *[!0-9]*) die "SARIFKIT_INSTALL_STALL_SECONDS must be a number of seconds" ;; esac
if command -v curl >/dev/null 2>&1; then
	fetcher=curl
elif command -v wget >/dev/null 2>&1; then
	fetcher=wget
else
	die "neither curl nor wget found"
fi
if command -v sha256sum >/dev/null 2>&1; then
	# From stdin: given a name with a backslash or a newline, GNU
	# sha256sum escapes it and prefixes the digest with "\".
	sha256() { sha256sum <"$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
	sha256() { shasum -a 256 <"$1" | cut -d ' ' -f 1; }
else
	die "neither sha256sum nor shasum found: cannot check the download"
fi

user_umask=$(umask)
umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sarifkit-install.XXXXXX") || die "cannot make a temporary directory"
staging=
cleanup() {
	# The files staged in BINDIR (.NAME.new.PID), when a step failed.
	set +f
	if [ -n "$staging" ]; then rm -f "$bindir"/.sarifkit*.new.$$ "$bindir"/.sarif-*.new.$$; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fetch URL FILE downloads URL into FILE, failing on an HTTP error, and
# prints the URL it ended at (after redirects).
fetch() {
	if [ $fetcher = curl ]; then
		curl --proto "$proto" --proto-redir "$proto" -sSfL --connect-timeout 15 \
			--speed-limit 1024 --speed-time "$stall" --retry 2 --retry-max-time 120 \
			-o "$2" -w '%{url_effective}' "$1" || return 1
	else
		# Of the server's answer, only the status code is shown.
		wget -q -S --timeout="$stall" --tries=3 -O "$2" "$1" 2>"$tmp/wget.log" || {
			sed -n 's/^ *\(HTTP\/[0-9.]* [0-9][0-9][0-9]\).*/\1/p' "$tmp/wget.log" | tail -n 1 >&2
			return 1
		}
		# wget follows redirects to any scheme: refuse what left https.
		if [ "$proto" = '=https' ] && grep -Eiq '^ *location: *http:' "$tmp/wget.log"; then
			say "$1 redirected to plain http"
			return 1
		fi
		last=$(sed -n 's/^ *[Ll]ocation: *//p' "$tmp/wget.log" | tail -n 1 | tr -d '\r')
		printf '%s' "${last:-$1}"
	fi
}

if [ "$version" = latest ]; then
	url=${base%/download}/latest
	final=$(fetch "$url" "$tmp/latest") || die "cannot find the latest release at $url"
	final=${final%%[?#]*}
	version=${final##*/}
	valid_version "$version" || die "$url did not lead to a release (it ended at $final)"
	say "latest release: $version"
fi

name=sarifkit_${version#v}_${os}_${arch}
if [ $os = windows ]; then archive=$name.zip; else archive=$name.tar.gz; fi
url=$base/$version
fetch "$url/SHA256SUMS" "$tmp/SHA256SUMS" >/dev/null || die "cannot download $url/SHA256SUMS: no release $version there, or the host is unreachable"
# The digest of the lines "DIGEST  NAME" (or "DIGEST *NAME") for the
# archive, 64 lowercase hex digits; "invalid" when only malformed lines
# name it (CRLF, uppercase), "conflict" for two different digests.
want=$(awk -v f="$archive" '
	length($1) == 64 && $1 !~ /[^0-9a-f]/ && ($0 == $1 "  " f || $0 == $1 " *" f) {
		if (want != "" && want != $1) conflict = 1
		want = $1
		next
	}
	{ l = $0; sub(/\r$/, "", l); n = split(l, a, /[ \t]+/); nm = a[n]; sub(/^\*/, "", nm); if (nm == f) named = 1 }
	END { if (conflict) print "conflict"; else if (want != "") print want; else if (named) print "invalid" }
' "$tmp/SHA256SUMS")
case $want in
"") refuse "release $version has no $archive in its SHA256SUMS (no archive for $os/$arch, or a SHA256SUMS that does not cover it)" ;;
invalid) refuse "SHA256SUMS has no valid line for $archive (want 64 lowercase hex digits, two spaces, the name; no CR)" ;;
conflict) refuse "SHA256SUMS has conflicting lines for $archive" ;;
esac
fetch "$url/$archive" "$tmp/$archive" >/dev/null || die "cannot download $url/$archive"
got=$(sha256 "$tmp/$archive")
[ "$got" = "$want" ] || refuse "$archive: SHA-256 $got, but SHA256SUMS says $want"

# verb_name NAME prints NAME when it is a verb's, sarif-[a-z]+, and says
# it skips any other.
verb_name() {
	case $1 in
	sarif-*[!a-z]* | sarif-) say "skipped $(printf '%s' "$1" | tr -c '[:alnum:]._-' '?'): not a sarif-VERB name" ;;
	*) printf '%s\n' "$1" ;;
	esac
}

# Every member under NAME/, none absolute nor with a .. component.
if [ $os = windows ]; then
	members=$(unzip -Z1 "$tmp/$archive") || die "$archive: cannot list it"
else
	members=$(tar -tzf "$tmp/$archive") || die "$archive: cannot list it"
fi
bad=$(printf '%s\n' "$members" | awk -v top="$name/" 'index($0, top) != 1')
bad=$bad$(printf '%s\n' "$members" | grep -E '(^|/)\.\.(/|$)' || true)
[ -z "$bad" ] || refuse "$archive: members outside $name/: $(printf '%s' "$bad" | head -n 3 | tr '\n' ' ')"
mkdir "$tmp/x"
if [ $os = windows ]; then
	(cd "$tmp/x" && unzip -q "../$archive") || die "$archive: cannot unpack it"
	exe=.exe
	# A zip has no links: the names are the man pages' (sarif-VERB.1).
	verbs=$(cd "$tmp/x/$name/man/man1" 2>/dev/null && for f in sarif-*.1; do if [ -f "$f" ]; then verb_name "${f%.1}"; fi; done) || die "$archive: cannot read it"
else
	(cd "$tmp/x" && tar -xzf "../$archive") || die "$archive: cannot unpack it"
	exe=
	verbs=$(cd "$tmp/x/$name" && for f in sarif-*; do if [ -L "$f" ]; then verb_name "$f"; fi; done) || die "$archive: cannot read it"
fi
# From here on, no word of a name is a pattern; names are sarif-[a-z]+.
set -f
bin=$tmp/x/$name/sarifkit$exe
if [ ! -f "$bin" ] || [ -L "$bin" ]; then die "$archive holds no sarifkit$exe"; fi

# Stage every file beside its final name, then rename them into place:
# an installed file is either the old one or the new one, never half.
umask "$user_umask" # BINDIR, when made, as the user makes directories
mkdir -p -- "$bindir" || die "cannot make $bindir"
# mv onto a directory, or a link to one, would move the file into it.
for v in sarifkit $verbs; do
	[ ! -d "$bindir/$v$exe" ] || die "$bindir/$v$exe is a directory or a link to one: remove it, or choose another BINDIR"
done
new=$bindir/.sarifkit$exe.new.$$
staging=1
{ cp "$bin" "$new" && chmod 755 "$new"; } || die "cannot write to $bindir"
for v in $verbs; do
	if [ $os = windows ]; then
		# Hard links (copies where the file system has none): symbolic
		# links on Windows need privileges or Developer Mode.
		ln "$new" "$bindir/.$v$exe.new.$$" 2>/dev/null || cp "$new" "$bindir/.$v$exe.new.$$"
	else
		ln -s "sarifkit" "$bindir/.$v$exe.new.$$"
	fi || die "cannot write to $bindir"
done
mv -f "$new" "$bindir/sarifkit$exe" || die "cannot install $bindir/sarifkit$exe"
for v in $verbs; do
	mv -f "$bindir/.$v$exe.new.$$" "$bindir/$v$exe" || die "cannot install $bindir/$v$exe"
done
staging=
if [ -n "$verbs" ]; then
	say "installed sarifkit $version ($os/$arch) and $(printf '%s\n' "$verbs" | grep -c .) sarif-* names in $bindir"
else
	say "installed sarifkit $version ($os/$arch) in $bindir; the archive has no sarif-* names (run sarifkit VERB)"
fi
case :${PATH:-}: in
*:"$bindir":*) ;;
*) say "$bindir is not on PATH: add it, e.g. export PATH=\"$bindir:\$PATH\"" ;;
esac
}

main "$@"
