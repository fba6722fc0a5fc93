#!/usr/bin/env bash
# Proof on a real machine that `hubextract schedule set --when-closed`
# installs a real user-level job (a systemd user timer where a user manager
# runs, else a crontab line), that the job runs `hubextract extract
# --account ID --scheduled` against a fake HubSpot (`hubextract fakehub`) on
# its own, that its run appears in `hubextract runs` marked scheduled, and
# that `schedule remove` leaves nothing behind.
#
# It changes the user's crontab or systemd user units for a few minutes
# (only its own line or units, named hubextract-refresh-ID), in its own app
# folder. On Linux without a running cron daemon it starts one (and stops
# that one, by its pid, at the end). Takes up to about three minutes: cron
# starts jobs on the minute.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
export HUBEXTRACT_CONFIG_DIR=$work/config
unset HUBEXTRACT_DB HUBSPOT_TOKEN
bin=$work/hubextract
fakehub_pid= cron_pid=

cleanup() {
	[ -n "$fakehub_pid" ] && kill "$fakehub_pid" 2>/dev/null || true
	[ -n "$cron_pid" ] && kill "$cron_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

say "build"
(cd "$root" && go build -tags desktop,production -o "$bin" . 2>/dev/null || go build -o "$bin" .)

say "fake HubSpot"
"$bin" fakehub --scale 5 --token proof-key >"$work/fakehub.out" 2>"$work/fakehub.err" &
fakehub_pid=$!
for _ in $(seq 50); do [ -s "$work/fakehub.out" ] && break; sleep 0.1; done
url=$(head -n1 "$work/fakehub.out")
[ -n "$url" ] || fail "fakehub printed no address"
echo "$url"

say "connect the account"
echo proof-key | "$bin" accounts add --token - --base-url "$url"
id=$("$bin" accounts --json | sed -n 's/^ *"id": \([0-9]*\),$/\1/p' | head -n1)
[ -n "$id" ] || fail "no account id"

kind=crontab
if systemctl --user is-system-running >/dev/null 2>&1 || [ "$(systemctl --user is-system-running 2>/dev/null)" = degraded ]; then
	kind=systemd
elif ! pgrep -x cron >/dev/null && ! pgrep -x crond >/dev/null; then
	command -v cron >/dev/null || fail "neither a systemd user manager nor cron is here (apt-get install cron)"
	say "start a cron daemon for the proof"
	cron -f &
	cron_pid=$!
fi

# The next whole minute that leaves cron time to read the new crontab.
at=$(date -d '+2 minutes' +%H:%M)
say "schedule set: daily at $at, also when the app is closed ($kind)"
"$bin" schedule set --account "$id" --daily "$at" --when-closed --base-url "$url"
if [ $kind = crontab ]; then
	crontab -l | grep -F "# hubextract:hubextract-refresh-$id" || fail "no crontab line"
else
	systemctl --user list-timers "hubextract-refresh-$id.timer" --no-pager | grep -F "hubextract-refresh-$id" || fail "no timer"
fi

say "wait for the job to run (until $at and a little)"
deadline=$(( $(date +%s) + 200 ))
until "$bin" runs --account "$id" 2>/dev/null | grep -q ' scheduled '; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "no scheduled run appeared"
	sleep 5
done
"$bin" runs --account "$id"
"$bin" runs --account "$id" | grep -E '^[0-9]+ .* succeeded .* scheduled ' >/dev/null || fail "the scheduled run did not succeed"

say "schedule remove"
"$bin" schedule remove --account "$id"
if [ $kind = crontab ]; then
	if crontab -l 2>/dev/null | grep -F "hubextract-refresh-$id"; then fail "the crontab line is still there"; fi
else
	ls ~/.config/systemd/user/"hubextract-refresh-$id".* 2>/dev/null && fail "units left behind"
	systemctl --user list-timers --all --no-pager | grep -F "hubextract-refresh-$id" && fail "timer still loaded"
fi
"$bin" schedule show --account "$id"
say "OK: the $kind job ran a scheduled refresh and is gone"
