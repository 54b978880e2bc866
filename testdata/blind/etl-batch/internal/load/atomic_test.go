package load

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"example.com/etl/internal/record"
)

func TestWriteFileAtomicKeepsOldContentOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		if _, err := io.WriteString(w, "partial"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "old" {
		t.Fatalf("content = %q, want the old content", got)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".out.csv.tmp-*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left behind: %v", leftovers)
	}
}

func TestCopyFixture(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "copy.csv")
	if err := CopyFileAtomic(fixturePath, dst); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		t.Fatal("copy is empty")
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv")
	recs := []record.Record{{"id": "1", "name": "ada"}}
	if err := WriteCSV(path, record.Schema{"id", "name"}, recs); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "id,name\n1,ada\n" {
		t.Fatalf("got %q", b)
	}
}
