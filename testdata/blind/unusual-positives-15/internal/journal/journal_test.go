package journal

import (
	"context"
	"testing"
)

func TestAppendReplay(t *testing.T) {
	j, err := Open(t.TempDir(), 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "c", "d"} {
		if err := j.Append("put", k); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := j.Replay(func(r Record) error {
		keys = append(keys, r.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 4 || keys[3] != "d" {
		t.Fatalf("replayed %v", keys)
	}
}

func TestCheckpointStrictReleasesLease(t *testing.T) {
	j, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.CheckpointStrict("c1"); err != nil {
		t.Fatal(err)
	}
	if err := j.CheckpointStrict("c1"); err != nil {
		t.Fatalf("lease not released: %v", err)
	}
}

func TestDrainAll(t *testing.T) {
	j, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	in := make(chan Record, 2)
	in <- Record{Op: "put", Key: "x"}
	in <- Record{Op: "del", Key: "x"}
	close(in)
	if err := j.DrainAll(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if st := j.stats(); st.seq != 2 {
		t.Fatalf("seq = %d", st.seq)
	}
}
