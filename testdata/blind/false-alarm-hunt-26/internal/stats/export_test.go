package stats

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func sampleSnapshot() Snapshot {
	m := NewMetrics()
	m.ObserveSession("alpha", 20*time.Millisecond)
	m.ObserveSession("alpha", 40*time.Millisecond)
	m.AddBytes("alpha", 4096)
	m.ObserveSession("beta", 5*time.Millisecond)
	return m.Snapshot()
}

func TestWriteCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.csv")
	if err := WriteCSV(path, sampleSnapshot()); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != "alpha" || rows[1][1] != "2" {
		t.Fatalf("unexpected rows %q", rows)
	}
}

func TestWriteGzipJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.json.gz")
	want := sampleSnapshot()
	if err := WriteGzipJSON(path, want); err != nil {
		t.Fatalf("WriteGzipJSON: %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var got Snapshot
	if err := json.NewDecoder(zr).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Backends) != len(want.Backends) {
		t.Fatalf("got %d backends, want %d", len(got.Backends), len(want.Backends))
	}
}

func TestTimerRecords(t *testing.T) {
	m := NewMetrics()
	func() {
		defer Timer(m, "gamma")()
		defer m.TrackActive()()
		if m.Active() != 1 {
			t.Errorf("Active = %d inside session", m.Active())
		}
	}()
	s := m.Snapshot()
	if len(s.Backends) != 1 || s.Backends[0].Sessions != 1 || s.Active != 0 {
		t.Fatalf("unexpected snapshot %+v", s)
	}
}
