package store

import (
	"context"
	"testing"
	"time"
)

// TestCheckpointsBesideTheWrites: every checkpointEvery commits, and only
// then, the checkpointer copies the whole WAL into the database file; Close
// stops it, twice without harm.
func TestCheckpointsBesideTheWrites(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	type result struct {
		frames, copied int
		err            error
	}
	ran := make(chan result, 4)
	db.ckpt.after = func(frames, copied int, err error) { ran <- result{frames, copied, err} }
	for round := range 2 {
		for i := range checkpointEvery {
			if len(ran) > 0 {
				t.Fatalf("round %d: a checkpoint after %d commits, want one after %d", round, i, checkpointEvery)
			}
			inTx(t, db, func(tx *Tx) error {
				return tx.UpsertRecords(ctx, 1, []Record{{Type: "notes", ID: string(rune('a' + i))}})
			})
		}
		select {
		case r := <-ran:
			if r.err != nil || r.frames == 0 || r.copied != r.frames {
				t.Errorf("round %d: checkpoint copied %d of %d frames, %v; want all of them", round, r.copied, r.frames, r.err)
			}
		case <-time.After(10 * time.Second): // a guard against a hang, not a timing
			t.Fatalf("round %d: no checkpoint after %d commits", round, checkpointEvery)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_ = db.Close() // must not panic (openTest's cleanup closes it a third time)
}
