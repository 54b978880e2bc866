package snapshot

import (
	"bytes"
	"compress/gzip"
	"log"
	"os"
	"path/filepath"
	"testing"

	"example.com/searchindexer/internal/segment"
)

func newTestManager(t *testing.T) *Manager {
	t.Helper()
	return NewManager(t.TempDir(), log.New(os.Stderr, "", 0))
}

func TestPinUnpin(t *testing.T) {
	m := newTestManager(t)
	s := m.Publish([]segment.Meta{{ID: 1}})
	release := m.Pin()
	if !m.Pinned(s.Gen) {
		t.Fatal("generation not pinned")
	}
	release()
	if m.Pinned(s.Gen) {
		t.Fatal("generation still pinned after release")
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	m := newTestManager(t)
	s := m.Publish([]segment.Meta{{ID: 3, Docs: 10}})
	p := filepath.Join(m.dir, "snap.json.gz")
	if err := writeFile(p, s); err != nil {
		t.Fatal(err)
	}
	got, err := readFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Gen != s.Gen || len(got.Segments) != 1 || got.Segments[0].Docs != 10 {
		t.Fatalf("readFile = %+v", got)
	}
}

func TestExportIsGzip(t *testing.T) {
	m := newTestManager(t)
	m.Publish(nil)
	var buf bytes.Buffer
	if err := m.Export(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := gzip.NewReader(&buf); err != nil {
		t.Fatalf("export is not gzip: %v", err)
	}
}
