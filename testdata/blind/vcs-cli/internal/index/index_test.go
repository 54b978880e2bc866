package index

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/vcscli/internal/object"
)

func TestWriteLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix := New(path)
	when := time.Unix(1700000000, 12345)
	ix.Add(Entry{Path: "b.txt", Mode: object.ModeFile, Size: 3, MTime: when, ID: object.Hash(object.KindBlob, []byte("b"))})
	ix.Add(Entry{Path: "dir/a.go", Mode: object.ModeExec, Size: 9, MTime: when, ID: object.Hash(object.KindBlob, []byte("a"))})
	if err := ix.Write(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Fatalf("index.lock survived a successful write: %v", err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Entries()
	if len(got) != 2 || got[0].Path != "b.txt" || !got[1].MTime.Equal(when) {
		t.Fatalf("loaded %+v", got)
	}
}
