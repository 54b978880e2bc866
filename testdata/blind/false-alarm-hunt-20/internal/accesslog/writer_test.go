package accesslog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriterRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "access.log")
	w, err := Open(path, 200)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	for i := 0; i < 5; i++ {
		e := Entry{Time: time.Unix(0, 0), Method: "GET", Path: "/healthz", Status: 200, RemoteAddr: "127.0.0.1"}
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	rotated, _ := filepath.Glob(path + ".*")
	if len(rotated) == 0 {
		t.Fatal("no rotated segment")
	}
}

func TestAuditSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	recs := []AuditRecord{{Actor: "ops", Action: "flush-cache", Target: "users"}}
	if err := WriteAuditSnapshot(path, recs); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Action != "flush-cache" {
		t.Fatalf("got %+v", got)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasSuffix(string(data), "\n") {
		t.Fatal("snapshot does not end in a newline")
	}
}
