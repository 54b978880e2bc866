package store_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"example.com/fah14/internal/store"
)

// withGOMAXPROCS sets GOMAXPROCS and returns a func that restores it.
func withGOMAXPROCS(n int) func() {
	old := runtime.GOMAXPROCS(n)
	return func() { runtime.GOMAXPROCS(old) }
}

func benchEvents(n int) []store.Event {
	evs := make([]store.Event, n)
	for i := range evs {
		evs[i] = store.Event{ID: fmt.Sprintf("ev-%06d", i), Topic: "bench", Payload: make([]byte, 256), Received: epoch}
	}
	return evs
}

func BenchmarkPut(b *testing.B) {
	evs := benchEvents(1024)
	s := store.New(store.WithCapacity(512))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Put(evs[i%len(evs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSnapshotWrite(b *testing.B) {
	start := time.Now()
	defer b.Logf("total wall time including setup: %s", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	s := store.New()
	s.Replace(benchEvents(2048))
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := store.SaveSnapshot(filepath.Join(dir, "snap.jsonl"), s.Snapshot()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRestore(b *testing.B) {
	path := filepath.Join(b.TempDir(), "snap.jsonl")
	if err := store.SaveSnapshot(path, store.Snapshot{Events: benchEvents(2048)}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := store.New()
		b.StartTimer()
		if err := s.Restore(path); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetParallel(b *testing.B) {
	defer withGOMAXPROCS(4) // HAZ defer-func-result-not-called
	s := store.New()
	s.Replace(benchEvents(1024))
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			s.Get(fmt.Sprintf("ev-%06d", i%1024))
			i++
		}
	})
}

func BenchmarkStatsParallel(b *testing.B) {
	defer withGOMAXPROCS(8)()
	s := store.New()
	s.Replace(benchEvents(64))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = s.Stats()
		}
	})
}

func BenchmarkReadSnapshotFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "snap.jsonl")
	if err := store.SaveSnapshot(path, store.Snapshot{Events: benchEvents(256)}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadSnapshot(b *testing.B) {
	path := filepath.Join(b.TempDir(), "snap.jsonl")
	if err := store.SaveSnapshot(path, store.Snapshot{Events: benchEvents(256)}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.LoadSnapshot(path); err != nil {
			b.Fatal(err)
		}
	}
}
