package telemetry

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBatcherFlushWritesFile(t *testing.T) {
	dir := t.TempDir()
	b, err := NewBatcher(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := b.Add(Sample{Device: "d1", Sensor: "t0", Value: float64(i), At: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	names, err := b.files()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 {
		t.Fatalf("files = %v", names)
	}
	if got := b.Stats(); got.Flushed != 2 || got.Files != 1 {
		t.Fatalf("stats = %+v", got)
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	b, err := NewBatcher(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(Sample{Sensor: "t0", Value: 1}); err != nil {
		t.Fatal(err)
	}
	snap := b.Snapshot()
	snap[0].Value = 99
	if b.Snapshot()[0].Value != 1 {
		t.Fatal("snapshot aliases the buffer")
	}
}

func TestGzipRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "log.1")
	want := []byte(strings.Repeat("temperature=21.5\n", 100))
	if err := os.WriteFile(src, want, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := GzipFile(src+".gz", src); err != nil {
		t.Fatal(err)
	}
	got, err := ReadArchive(src + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("round trip mismatch")
	}
}

func TestSpoolAppendPending(t *testing.T) {
	s, err := OpenSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a", "b"} {
		if _, err := s.Append([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	names, err := s.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 {
		t.Fatalf("pending = %v", names)
	}
}

func TestGeneration(t *testing.T) {
	if g := generation("/var/log/agent.log.12.gz"); g != 12 {
		t.Fatalf("generation = %d", g)
	}
}
