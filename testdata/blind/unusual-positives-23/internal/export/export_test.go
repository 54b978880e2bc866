package export

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type fakeSource struct {
	name  string
	recs  []Record
	err   error
	delay time.Duration
}

func (f fakeSource) Name() string { return f.name }

func (f fakeSource) Fetch(ctx context.Context) ([]Record, error) {
	select {
	case <-time.After(f.delay):
		return f.recs, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func newTestExporter(t *testing.T) *Exporter {
	t.Helper()
	return New(t.TempDir(), log.New(io.Discard, "", 0))
}

func TestWriteJSONRoundTrip(t *testing.T) {
	e := newTestExporter(t)
	in := []Record{{Series: "a", TS: 1, V: 0.5}, {Series: "b", TS: 2, V: 3}}
	if err := e.WriteJSON("out.json", in); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(e.dir, "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) || out[1] != in[1] {
		t.Fatalf("round trip: got %v", out)
	}
}

func TestArchiveLevelReadsBack(t *testing.T) {
	e := newTestExporter(t)
	recs := []Record{{Series: "cpu", TS: 10, V: 1.25}}
	if err := e.ArchiveLevel("day", recs, gzip.BestSpeed); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(e.dir, "day.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "cpu,10,1.25") {
		t.Fatalf("archive body: %q", body)
	}
}

func TestGatherAllJoinsErrors(t *testing.T) {
	e := newTestExporter(t)
	boom := errors.New("boom")
	srcs := []Source{
		fakeSource{name: "ok", recs: []Record{{Series: "x"}}},
		fakeSource{name: "bad", err: boom, delay: time.Millisecond},
	}
	recs, err := e.GatherAll(context.Background(), srcs)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
}

func TestGatherStreamSeesEverySource(t *testing.T) {
	e := newTestExporter(t)
	srcs := []Source{
		fakeSource{name: "a", recs: []Record{{Series: "a"}}},
		fakeSource{name: "b", recs: []Record{{Series: "b"}}, delay: time.Millisecond},
	}
	seen := map[string]bool{}
	if err := e.GatherStream(context.Background(), srcs, func(name string, _ []Record) { seen[name] = true }); err != nil {
		t.Fatal(err)
	}
	if !seen["a"] || !seen["b"] {
		t.Fatalf("seen = %v", seen)
	}
}

func TestTimerRecords(t *testing.T) {
	m := NewMetrics()
	func() {
		defer m.Timer("op")()
		time.Sleep(time.Millisecond)
	}()
	if s := m.Snapshot(); s.Counts["op"] != 1 || s.Total["op"] <= 0 {
		t.Fatalf("snapshot = %+v", s)
	}
}
