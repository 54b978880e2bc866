package trip

import (
	"errors"
	"io"
	"log"
	"path/filepath"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), log.New(io.Discard, "", 0), map[State]Hook{
		Cancelled: func(string) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAdvanceRejectsBadTransition(t *testing.T) {
	tr := &Trip{ID: "t1", State: Requested}
	if err := tr.Advance(Completed, time.Now()); !errors.Is(err, ErrBadTransition) {
		t.Fatalf("err = %v, want ErrBadTransition", err)
	}
	if err := tr.Advance(Matched, time.Now()); err != nil {
		t.Fatalf("Advance(Matched): %v", err)
	}
	if len(tr.History) != 1 || tr.History[0].From != Requested {
		t.Fatalf("history = %+v", tr.History)
	}
}

func TestPutGetRoundTrip(t *testing.T) {
	s := newTestStore(t)
	in := &Trip{ID: "t1", RiderID: "r1", State: Requested, Created: time.Now().UTC()}
	if err := s.Put(in); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	delete(s.cache, "t1")
	s.mu.Unlock()
	got, err := s.Get("t1")
	if err != nil {
		t.Fatal(err)
	}
	if got.RiderID != "r1" || got.State != Requested {
		t.Fatalf("got %+v", got)
	}
	if _, err := s.Get("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestCancelRunsHook(t *testing.T) {
	s := newTestStore(t)
	if err := s.Put(&Trip{ID: "t2", State: Requested}); err != nil {
		t.Fatal(err)
	}
	if err := s.Cancel("t2", "rider changed plans", time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get("t2")
	if got.State != Cancelled {
		t.Fatalf("state = %s", got.State)
	}
}

func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	trips := []*Trip{
		{ID: "a", State: Completed, Fare: 1200},
		{ID: "b", State: Cancelled},
	}
	path := filepath.Join(dir, "trips.jsonl")
	if err := ExportJSONL(path, trips); err != nil {
		t.Fatal(err)
	}
	got, err := ReadArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Fare != 1200 {
		t.Fatalf("got %+v", got)
	}
	if err := ExportCSVGz(filepath.Join(dir, "trips.csv.gz"), trips); err != nil {
		t.Fatal(err)
	}
}
