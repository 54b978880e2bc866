package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"example.com/kvreplication/internal/raftpb"
)

func TestWALRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWAL(dir, 256)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	var in []raftpb.Entry
	for i := 1; i <= 20; i++ {
		in = append(in, raftpb.Entry{Term: 1, Index: raftpb.Index(i), Kind: raftpb.EntryPut, Key: "k", Value: []byte("v")})
	}
	if err := w.Append(in); err != nil {
		t.Fatal(err)
	}
	out, err := w.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("read %d entries, want %d", len(out), len(in))
	}
	if w.SegmentCount() < 2 {
		t.Fatalf("expected rotation, got %d segments", w.SegmentCount())
	}
}

func TestSnapshotSaveLoad(t *testing.T) {
	s, err := NewSnapshotStore(t.TempDir(), 2)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"applied":3}`)
	for i := 1; i <= 3; i++ {
		if err := s.Save(raftpb.SnapshotMeta{Index: raftpb.Index(i), Term: 1}, data); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("retained %d snapshots, want 2", len(list))
	}
	got, err := s.Load(list[len(list)-1])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("loaded %q", got)
	}
}

func TestImportExportGzip(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSnapshotStore(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	meta := raftpb.SnapshotMeta{Index: 7, Term: 2}
	if err := s.Save(meta, []byte("payload")); err != nil {
		t.Fatal(err)
	}
	latest, err := s.Latest()
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "backup.gz")
	if err := s.ExportGzipChecked(latest, dst); err != nil {
		t.Fatal(err)
	}
	got, err := ImportGzip(dst)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "payload" {
		t.Fatalf("got %q", got)
	}
}

func TestReadSegmentFixtures(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"ok.wal":   "{\"term\":1,\"index\":1}\n",
		"torn.wal": "{\"term\":1,\"index\":1}\n{\"term\":",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name := range files {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			es, err := decodeEntries(f)
			if name == "torn.wal" && err == nil {
				t.Fatal("torn record not detected")
			}
			if len(es) != 1 {
				t.Fatalf("decoded %d entries", len(es))
			}
		})
	}
}

func TestMetaStore(t *testing.T) {
	m := NewMetaStore(t.TempDir())
	if err := m.SaveState(3, "n2", 10); err != nil {
		t.Fatal(err)
	}
	hs, err := m.Load()
	if err != nil {
		t.Fatal(err)
	}
	if hs.Term != 3 || hs.VotedFor != "n2" {
		t.Fatalf("loaded %+v", hs)
	}
}
