// Package crash proves, from the outside, the promise of "saved as it goes,
// resumable, never duplicated": the hubextract binary is built once, a fake
// HubSpot runs as a real process, and extractions are killed with SIGKILL at
// several points, stopped with Ctrl-C (SIGINT), starved of disk space and
// given a wrong token; each time what was committed stays, the run history
// says what happened in plain words, and the next run resumes to the same
// database an uninterrupted run makes. The tests are skipped under -short;
// the package has no code of its own.
package crash
