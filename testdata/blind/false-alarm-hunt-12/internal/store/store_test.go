package store

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return st
}

func TestSaveLoad(t *testing.T) {
	st := newTestStore(t)
	want := Record{ID: "a", Owner: "ann", Updated: time.Unix(10, 0).UTC()}
	if err := st.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := st.Load("a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Owner != want.Owner || !got.Updated.Equal(want.Updated) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestIDsSorted(t *testing.T) {
	st := newTestStore(t)
	for _, id := range []string{"c", "a", "b"} {
		if err := st.Save(Record{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := st.IDs()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Fatalf("ids = %v", ids)
	}
}

func TestCompressRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(src, []byte("hello\nworld\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "out.gz")
	if err := CompressFile(src, dst); err != nil {
		t.Fatal(err)
	}
	got, err := ReadGzip(dst)
	if err != nil {
		t.Fatal(err)
	}
	if got != "hello\nworld\n" {
		t.Fatalf("got %q", got)
	}
}

func TestJournalTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.log")
	for _, l := range []string{"one", "two", "three"} {
		if err := AppendJournalChecked(path, l); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := TailJournal(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Fatalf("lines = %q", lines)
	}
}
