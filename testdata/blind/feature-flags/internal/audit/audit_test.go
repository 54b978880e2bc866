package audit

import (
	"path/filepath"
	"testing"
	"time"
)

func TestWriterRotatesAndHistoryReadsAll(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	w, err := Open(path, 200)
	if err != nil {
		t.Fatal(err)
	}
	tick := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	w.now = func() time.Time {
		tick = tick.Add(time.Second)
		return tick
	}
	for i := range 10 {
		if err := w.Write(Entry{Action: "put", Key: "flag-" + string(rune('a'+i))}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := History(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 10 {
		t.Fatalf("history has %d entries, want 10", len(entries))
	}
}
