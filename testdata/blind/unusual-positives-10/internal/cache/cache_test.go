package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var scratchDir string

// TestMain keeps its cleanup in runTests so that it has run by the time
// os.Exit is called.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "cache-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.Remove(dir)
	scratchDir = dir
	return m.Run()
}

type user struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (u user) Key() string { return u.ID }

func TestFillAndGet(t *testing.T) {
	c := New[string, int]("t", time.Minute)
	err := c.Fill([]string{"a", "b"}, func(k string) (int, error) { return len(k), nil })
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %v, %v", v, ok)
	}
}

func TestDumpGzipSafeRoundTrip(t *testing.T) {
	dir := t.TempDir()
	e := NewExporter[user](dir, "users")
	if err := e.DumpSafe([]user{{"1", "ann"}, {"2", "bob"}}); err != nil {
		t.Fatal(err)
	}
	got, err := Load[user](filepath.Join(dir, "users.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("loaded %d users", len(got))
	}
	if err := e.DumpGzipSafe(got); err != nil {
		t.Fatal(err)
	}
}

func TestRepoMergeWrapsError(t *testing.T) {
	bad := errors.New("bad name")
	r := NewRepo[user]("users", &Recorder{}, func(u user) error {
		if u.Name == "" {
			return bad
		}
		return nil
	})
	err := r.Merge([]user{{ID: "1"}})
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v", err)
	}
}

func TestScratchDir(t *testing.T) {
	if scratchDir == "" {
		t.Fatal("TestMain did not set scratchDir")
	}
}
