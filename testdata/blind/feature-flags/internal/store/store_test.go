package store

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"example.com/flagsvc/internal/flags"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

func newTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flags.json")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

func TestConcurrentPuts(t *testing.T) {
	s, _ := newTestStore(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Put(&flags.Flag{Key: fmt.Sprintf("flag-%d", i), Variations: []string{"a", "b"}}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := s.Version(); got != 8 {
		t.Fatalf("version = %d, want 8", got)
	}
}

func TestExportGzip(t *testing.T) {
	s, _ := newTestStore(t)
	if err := s.Put(&flags.Flag{Key: "gz", Variations: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "flags.json.gz")
	if err := s.ExportGzip(out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var list []*flags.Flag
	if err := json.NewDecoder(zr).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Key != "gz" {
		t.Fatalf("exported %+v", list)
	}
}
