// Package reliability is the reliability suite behind `make reliability`
// and docs/reliability.md: extractions killed with SIGKILL at seeded
// moments and resumed, full runs through injected faults, refusals HubSpot
// gives mid-run, bad local conditions (a full disk, a foreign or damaged
// file, a second extraction, a read-only place), bad input, and the
// security promises (the key in no file, CSV formulas neutralised, files
// 0600). Each case records what it tried and what it found; TestMain turns
// those records into the report, so its figures are never written by hand.
//
// The tests run only when $HUBEXTRACT_RELIABILITY is "fast" (a few kills:
// the step in `make test`) or "full" (twenty kills: `make reliability`);
// otherwise they skip. The package has no code of its own. It must not
// change anything outside its temporary folders and the two files the
// environment names.
package reliability
