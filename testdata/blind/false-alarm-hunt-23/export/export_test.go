package export

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeFiles(t *testing.T, contents ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, c := range contents {
		p := filepath.Join(dir, "seg"+string(rune('a'+i)))
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestCopySegments(t *testing.T) {
	paths := writeFiles(t, "one,", "two,", "three")
	var buf bytes.Buffer
	n, err := CopySegments(&buf, paths)
	if err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "one,two,three" || n != int64(len(got)) {
		t.Fatalf("got %q (%d bytes)", got, n)
	}
}

func TestJournalAppendReplay(t *testing.T) {
	j := OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	if err := j.AppendBatch([]Entry{{At: now, Op: "insert", Table: "users", Key: "1"}}); err != nil {
		t.Fatal(err)
	}
	if err := j.AppendBatch([]Entry{{At: now, Op: "delete", Table: "users", Key: "1"}}); err != nil {
		t.Fatal(err)
	}
	var ops []string
	err := j.Replay(func(e Entry) error {
		ops = append(ops, e.Op)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2 || ops[0] != "insert" || ops[1] != "delete" {
		t.Fatalf("ops = %v", ops)
	}
}

func TestCompressWritesGzip(t *testing.T) {
	src := writeFiles(t, "hello, hello, hello")[0]
	dst := src + ".gz"
	if err := Compress(src, dst); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	magic := make([]byte, 2)
	if _, err := f.Read(magic); err != nil {
		t.Fatal(err)
	}
	if magic[0] != 0x1f || magic[1] != 0x8b {
		t.Fatalf("not a gzip stream: % x", magic)
	}
}
