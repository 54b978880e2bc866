package store_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"example.com/fah14/internal/store"
)

func sampleSnapshot() store.Snapshot {
	return store.Snapshot{Taken: epoch, Events: []store.Event{
		{ID: "a", Topic: "push", Payload: []byte(`{"ref":"main"}`), Received: epoch},
		{ID: "b", Topic: "tag", Payload: []byte(`{"tag":"v1"}`), Received: epoch.Add(1e9)},
	}}
}

func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.jsonl")
	want := sampleSnapshot()
	if err := store.SaveSnapshot(path, want); err != nil {
		t.Fatalf("SaveSnapshot: %v", err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
	got, err := store.LoadSnapshot(path)
	if err != nil {
		t.Fatalf("LoadSnapshot: %v", err)
	}
	defer t.Logf("compared %d events", len(want.Events))
	if !reflect.DeepEqual(got.Events, want.Events) {
		t.Errorf("round trip mismatch:\n got %+v\nwant %+v", got.Events, want.Events)
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		want    store.Config
		wantErr bool
	}{
		{file: "config.json", want: store.Config{Capacity: 250, SnapshotPath: "/var/lib/relay/events.jsonl"}},
		{file: "config_defaults.json", want: store.Config{Capacity: 1000}},
		{file: "config_negative.json", wantErr: true},
		{file: "does_not_exist.json", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			cfg, err := store.LoadConfig(filepath.Join("testdata", tc.file))
			if tc.wantErr {
				if err == nil {
					t.Fatalf("LoadConfig(%s) = %+v, want error", tc.file, cfg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *cfg != tc.want {
				t.Errorf("LoadConfig(%s) = %+v, want %+v", tc.file, *cfg, tc.want)
			}
		})
	}
}

func TestRestoreMissingFile(t *testing.T) {
	t.Parallel()
	s := store.New()
	if err := s.Restore(filepath.Join(t.TempDir(), "absent.jsonl")); err != nil {
		t.Fatalf("Restore(missing) = %v, want nil", err)
	}
	if s.Len() != 0 {
		t.Error("store not empty after restoring nothing")
	}
}

func TestExportGzip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "export.json.gz")
	if err := store.ExportGzip(path, sampleSnapshot()); err != nil {
		t.Fatal(err)
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
	var got store.Snapshot
	if err := json.NewDecoder(zr).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != 2 || got.Events[1].Topic != "tag" {
		t.Errorf("decoded %+v", got)
	}
}

// writeGzipFixture writes sn as a compressed JSON document for ImportGzip.
func writeGzipFixture(t *testing.T, sn store.Snapshot) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixture.json.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(zw).Encode(sn); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportGzip(t *testing.T) {
	t.Parallel()
	sn, err := store.ImportGzip(writeGzipFixture(t, sampleSnapshot()))
	if err != nil {
		t.Fatal(err)
	}
	if len(sn.Events) != 2 {
		t.Errorf("imported %d events", len(sn.Events))
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rt.json.gz")
	if err := store.ExportGzip(path, sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	sn, err := store.ImportGzip(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sn.Events, sampleSnapshot().Events) {
		t.Errorf("round trip changed events: %+v", sn.Events)
	}
}

func TestConcurrentSaveSnapshot(t *testing.T) {
	dir := t.TempDir()
	sn := sampleSnapshot()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(dir, fmt.Sprintf("snap-%d.jsonl", i))
			if err := store.SaveSnapshot(path, sn); err != nil {
				t.Error(err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("%d files written, want 4", len(entries))
	}
}

func TestLoadSnapshotsConcatenates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var paths []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", i))
		if err := store.SaveSnapshot(p, sampleSnapshot()); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	all, err := store.LoadSnapshots(paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Events) != 6 {
		t.Errorf("loaded %d events, want 6", len(all.Events))
	}
}
