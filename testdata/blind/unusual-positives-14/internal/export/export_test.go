package export

import (
	"os"
	"path/filepath"
	"testing"
)

type rec struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func TestArchiveAndLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.ndjson")
	if err := Archive(path, []rec{{1, "a"}, {2, "b"}}); err != nil {
		t.Fatal(err)
	}
	line, err := LastLine(path)
	if err != nil {
		t.Fatal(err)
	}
	if line != `{"id":2,"name":"b"}` {
		t.Fatalf("last line = %q", line)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := WriteFileAtomic(path, []byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "hello\n" {
		t.Fatalf("content = %q", b)
	}
}

func TestSnapshotCheckedRemovesLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.ndjson.gz")
	if err := SnapshotChecked(path, []rec{{1, "a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Fatalf("lock file still present: %v", err)
	}
	got, err := ReadJSON[map[string]any](filepath.Join("testdata", "missing.json"))
	if err == nil {
		t.Fatalf("ReadJSON of a missing file returned %v", got)
	}
}
