package export

import (
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/up16/internal/catalog"
	"example.com/up16/internal/lease"
	"example.com/up16/internal/sink"
)

func newTestExporter(t *testing.T) (*Exporter, string) {
	t.Helper()
	root := t.TempDir()
	src, err := sink.NewDir(filepath.Join(root, "origin"))
	if err != nil {
		t.Fatal(err)
	}
	dst, err := sink.NewDir(filepath.Join(root, "archive"))
	if err != nil {
		t.Fatal(err)
	}
	l := log.New(os.Stderr, "test: ", 0)
	return New(src, dst, catalog.New("test"), &lease.Manager{Dir: root, Log: l}, l), root
}

func TestArchiveRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.jsonl.gz")
	in := []catalog.Entry{{Name: "a", Size: 1}, {Name: "b", Size: 2, Stored: time.Unix(10, 0).UTC()}}
	if err := WriteArchiveBuffered(p, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadArchive(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1].Name != "b" || !out[1].Stored.Equal(in[1].Stored) {
		t.Fatalf("ReadArchive = %+v", out)
	}
}

func TestJournal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "journal")
	if err := AppendJournalSync(p, []string{"one", "two"}); err != nil {
		t.Fatal(err)
	}
	lines, err := ReadJournal(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[1] != "two" {
		t.Fatalf("ReadJournal = %q", lines)
	}
}

func TestExportHeldAndVerify(t *testing.T) {
	e, root := newTestExporter(t)
	if err := os.WriteFile(filepath.Join(root, "origin", "src.txt"), []byte("payload"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.ExportHeld("k", []string{"src.txt"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "k.lock")); !os.IsNotExist(err) {
		t.Fatalf("lease not released: %v", err)
	}
	if err := e.Verify("src.txt"); err != nil {
		t.Fatal(err)
	}
}
