package hooks

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func newTestRunner(t *testing.T) *Runner {
	t.Helper()
	dir := t.TempDir()
	return NewRunner(dir, t.TempDir(), time.Second, log.New(io.Discard, "", 0))
}

func TestListEvent(t *testing.T) {
	r := newTestRunner(t)
	d := filepath.Join(r.dir, "post-receive.d")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{"20-mail": 0o755, "10-ci": 0o755, "README": 0o644} {
		if err := os.WriteFile(filepath.Join(d, name), []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	got, err := r.listEvent("post-receive")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"post-receive.d/10-ci", "post-receive.d/20-mail"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("listEvent = %v, want %v", got, want)
	}
}

func TestFilterRewritesLines(t *testing.T) {
	r := newTestRunner(t)
	r.Filter = func(line string) string { return strings.ReplaceAll(line, "s3cr3t", "***") }
	got := string(r.filter([]byte("token=s3cr3t\nok\n")))
	if got != "token=***\nok\n" {
		t.Fatalf("filter = %q", got)
	}
}

func TestAppendLog(t *testing.T) {
	r := newTestRunner(t)
	if err := r.appendLog("tools", []byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(r.logDir, "tools.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), "hello\n") {
		t.Fatalf("log = %q", b)
	}
}
