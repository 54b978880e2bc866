package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeCSV(t *testing.T) {
	recs, err := DecodeCSV(strings.NewReader("id,name\n1,ada\n2,bob\n"), "inline")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1]["name"] != "bob" {
		t.Fatalf("got %v", recs)
	}
}

func TestReadCSVDir(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"a.csv": "id\n1\n",
		"b.csv": "id\n2\n3\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := ReadCSVDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
}

func TestSafeJoinRejectsEscape(t *testing.T) {
	if _, err := safeJoin(t.TempDir(), "../../etc/passwd"); err == nil {
		t.Fatal("expected an error for an escaping member")
	}
}
