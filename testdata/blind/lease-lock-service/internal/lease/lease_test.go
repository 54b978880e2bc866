package lease

import (
	"sync"
	"testing"
	"time"

	"example.com/leaselock/internal/wal"
)

type fakeJournal struct {
	mu   sync.Mutex
	recs []wal.Record
}

func (j *fakeJournal) Append(rec wal.Record) (uint64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	rec.Index = uint64(len(j.recs) + 1)
	j.recs = append(j.recs, rec)
	return rec.Index, nil
}

func TestGrantExpires(t *testing.T) {
	expired := make(chan ID, 1)
	m := NewManager(&fakeJournal{}, nil, time.Millisecond, func(id ID, _ []string) { expired <- id })
	id, err := m.Grant(20 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-expired:
		if got != id {
			t.Fatalf("expired lease %d, want %d", got, id)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("lease never expired")
	}
	if _, ok := m.Lookup(id); ok {
		t.Fatal("expired lease still present")
	}
}

func TestKeepAliveExtends(t *testing.T) {
	m := NewManager(&fakeJournal{}, nil, time.Millisecond, nil)
	id, err := m.Grant(80 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		time.Sleep(30 * time.Millisecond)
		if _, err := m.KeepAlive(id); err != nil {
			t.Fatalf("KeepAlive %d: %v", i, err)
		}
	}
	if _, ok := m.Lookup(id); !ok {
		t.Fatal("lease expired despite keepalives")
	}
}

func TestAttachReportsKeysOnExpiry(t *testing.T) {
	var mu sync.Mutex
	var got []string
	done := make(chan struct{})
	m := NewManager(&fakeJournal{}, nil, time.Millisecond, func(_ ID, keys []string) {
		mu.Lock()
		defer mu.Unlock()
		got = keys
		close(done)
	})
	id, err := m.Grant(10 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Attach(id, "locks/b"); err != nil {
		t.Fatal(err)
	}
	if err := m.Attach(id, "locks/a"); err != nil {
		t.Fatal(err)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != "locks/a" || got[1] != "locks/b" {
		t.Fatalf("keys = %v", got)
	}
}
