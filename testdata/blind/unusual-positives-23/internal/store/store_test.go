package store

import (
	"bufio"
	"errors"
	"io"
	"log"
	"os"
	"testing"
)

func newTestStore(t *testing.T, shards int) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), shards, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestInternIsStable(t *testing.T) {
	c := NewCatalog()
	a := c.Intern("cpu.user")
	b := c.Intern("cpu.system")
	if again := c.Intern("cpu.user"); again != a {
		t.Fatalf("Intern(cpu.user) = %d, then %d", a, again)
	}
	if a == b {
		t.Fatalf("distinct names share id %d", a)
	}
	if g := c.Generation(); g != 2 {
		t.Fatalf("generation = %d, want 2", g)
	}
}

func TestCompactRenumbers(t *testing.T) {
	c := NewCatalog()
	for _, n := range []string{"a", "b", "c"} {
		c.Intern(n)
	}
	c.Lock()
	delete(c.ids, "b")
	c.names[1] = ""
	c.Unlock()
	if removed := c.Compact(); removed != 1 {
		t.Fatalf("Compact removed %d, want 1", removed)
	}
	if id, _ := c.Lookup("c"); id != 1 {
		t.Fatalf("c renumbered to %d, want 1", id)
	}
}

func TestApplyBatchRejectsSealedShard(t *testing.T) {
	st := newTestStore(t, 1)
	if _, err := st.shards[0].Seal(); err != nil {
		t.Fatal(err)
	}
	err := st.ApplyBatch(Batch{Series: "x", Points: []Point{{TS: 1, V: 1}}})
	if !errors.Is(err, ErrSealed) {
		t.Fatalf("ApplyBatch on sealed shard: %v", err)
	}
	if pts := st.shards[0].Points("x"); len(pts) != 0 {
		t.Fatalf("points survived rollback: %v", pts)
	}
}

func TestCloseWritesSegments(t *testing.T) {
	st := newTestStore(t, 2)
	for i := 0; i < 10; i++ {
		if err := st.Write("mem.free", Point{TS: int64(i), V: float64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(segmentPath(st.dir, st.shardFor("mem.free").id))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := decodeHeader(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	if h.Points != 10 {
		t.Fatalf("header says %d points, want 10", h.Points)
	}
}

func TestRegistryTop(t *testing.T) {
	r := NewRegistry()
	r.Add(map[string]int64{"a": 3, "b": 5, "c": 1})
	top := r.Top(2)
	if len(top) != 2 || top[0].Series != "b" || top[1].Series != "a" {
		t.Fatalf("Top(2) = %v", top)
	}
	r.Reset()
	if got := r.Top(5); len(got) != 0 {
		t.Fatalf("after Reset: %v", got)
	}
}
