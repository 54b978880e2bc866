package index

import (
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

func newTestIndex(t *testing.T, watchers ...chan<- View) *Index {
	t.Helper()
	return New(log.New(io.Discard, "", 0), watchers...)
}

func TestPutAndLookup(t *testing.T) {
	ix := newTestIndex(t)
	ix.Put(Entry{Key: "api/1", Stream: "api", Archive: "a.tpa.gz"})
	e, err := ix.Lookup("api/1", time.Now())
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if e.Archive != "a.tpa.gz" {
		t.Errorf("Archive = %q, want a.tpa.gz", e.Archive)
	}
	if _, err := ix.Lookup("api/2", time.Now()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Lookup(missing) = %v, want ErrNotFound", err)
	}
}

func TestRemoveHidesEntry(t *testing.T) {
	ix := newTestIndex(t)
	ix.Put(Entry{Key: "k", Stream: "s"})
	if !ix.Remove("k") {
		t.Fatal("Remove returned false")
	}
	if ix.Remove("k") {
		t.Error("second Remove returned true")
	}
	if n := ix.Len(); n != 0 {
		t.Errorf("Len = %d, want 0", n)
	}
}

func TestReplacePublishesView(t *testing.T) {
	ch := make(chan View, 1)
	ix := newTestIndex(t, ch)
	ix.Replace([]Entry{{Key: "a", Stream: "s"}, {Key: "b", Stream: "s"}})
	select {
	case v := <-ch:
		if len(v.Entries) != 2 {
			t.Errorf("view has %d entries, want 2", len(v.Entries))
		}
	case <-time.After(time.Second):
		t.Fatal("no view published")
	}
}
