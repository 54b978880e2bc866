package segment

import (
	"log"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"example.com/searchindexer/internal/index"
)

func testFrozen() *index.Frozen {
	return &index.Frozen{
		Terms: map[string]index.PostingList{
			"merg":    {{Doc: 1, Freq: 2}, {Doc: 4, Freq: 1}},
			"segment": {{Doc: 1, Freq: 1}},
		},
		DocLens: map[index.DocID]int{1: 5, 4: 3},
	}
}

func TestWriteOpenRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, 0, false, log.New(os.Stderr, "", 0))
	meta, err := w.Write(testFrozen(), 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(meta)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Postings("merg").Docs(); !reflect.DeepEqual(got, []index.DocID{1, 4}) {
		t.Fatalf("Postings = %v", got)
	}
	if r.DocCount() != 2 || r.AvgDocLen() != 4 {
		t.Fatalf("DocCount=%d AvgDocLen=%v", r.DocCount(), r.AvgDocLen())
	}
}

func TestParseID(t *testing.T) {
	id, ok := ParseID(FileName(0xbeef))
	if !ok || id != 0xbeef {
		t.Fatalf("ParseID = %x, %v", id, ok)
	}
	if _, ok := ParseID("MANIFEST.json"); ok {
		t.Fatal("ParseID accepted a non-segment name")
	}
}

func TestAtomicWriteFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "MANIFEST.json")
	if err := atomicWriteFile(p, []byte(`{"version":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != `{"version":1}` {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}
}

func TestLockDirExclusive(t *testing.T) {
	dir := t.TempDir()
	l, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := LockDir(dir); err != ErrLocked {
		t.Fatalf("second LockDir = %v, want ErrLocked", err)
	}
}
