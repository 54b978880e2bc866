package metrics

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSnapshotWriteToIsSorted(t *testing.T) {
	a := NewAggregator(nil, time.Hour)
	a.Inc("b.count", 2)
	a.Inc("a.count", 1)
	a.Observe("latency", 12*time.Millisecond)
	var sb strings.Builder
	if _, err := a.Snapshot().WriteTo(&sb); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(sb.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "a.count 1 ") {
		t.Errorf("unexpected output:\n%s", sb.String())
	}
}

func TestFileSinkWritesGzip(t *testing.T) {
	dir := t.TempDir()
	a := NewAggregator(&FileSink{Dir: dir}, time.Hour)
	a.Inc("invocations", 3)
	if err := a.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.gz"))
	if err != nil || len(files) != 1 {
		t.Fatalf("files = %v, %v", files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "invocations 3 ") {
		t.Errorf("content = %q", data)
	}
}

func TestMeterDropsWhenFull(t *testing.T) {
	m := NewMeter(1)
	now := time.Now()
	for i := 0; i < 3; i++ {
		id := m.Start("f", now)
		m.Stop(id, now.Add(time.Second))
	}
	if got := m.Dropped(); got != 2 {
		t.Errorf("dropped = %d, want 2", got)
	}
	ev := <-m.Events()
	if ev.Duration() != time.Second {
		t.Errorf("duration = %s", ev.Duration())
	}
}

func TestObserveValueUnregistered(t *testing.T) {
	a := NewAggregator(nil, time.Hour)
	a.Register("size", []float64{10, 100})
	if err := a.ObserveValue("size", 42); err != nil {
		t.Fatal(err)
	}
	if got := a.Snapshot().Hists["size"].Count; got != 1 {
		t.Errorf("count = %d, want 1", got)
	}
}
