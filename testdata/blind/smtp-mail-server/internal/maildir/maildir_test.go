package maildir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeliverLandsInNew(t *testing.T) {
	m := New(t.TempDir())
	if err := m.Init(); err != nil {
		t.Fatal(err)
	}
	path, err := m.Deliver(strings.NewReader("Subject: test\r\n\r\nbody\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(filepath.Dir(path)) != "new" {
		t.Fatalf("delivered to %s, want new/", path)
	}
	if ents, _ := os.ReadDir(filepath.Join(m.root, "tmp")); len(ents) != 0 {
		t.Fatalf("tmp/ not empty after delivery: %v", ents)
	}
	unread, read, err := m.Count()
	if err != nil || unread != 1 || read != 0 {
		t.Fatalf("Count = %d, %d, %v", unread, read, err)
	}
}
