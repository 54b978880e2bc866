package fqueue

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain runs the tests in a scratch working directory. No defer is
// registered here, so exiting with the tests' status skips nothing.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fqueue-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func openTestQueue(t *testing.T, segMax int64) *Queue {
	t.Helper()
	q, err := Open(t.TempDir(), segMax)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	return q
}

func TestAppendReplay(t *testing.T) {
	q := openTestQueue(t, 64)
	for i := range 20 {
		if err := q.Append(fmt.Appendf(nil, "record-%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Rotate(); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := q.ReplayFrom(0, func(_ int, rec []byte) error {
		got = append(got, string(rec))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 || got[0] != "record-00" || got[19] != "record-19" {
		t.Errorf("replayed %d records: %v", len(got), got)
	}
	counts, err := q.CountRecords()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 20 {
		t.Errorf("CountRecords total = %d", total)
	}
}

func TestConsumerResumes(t *testing.T) {
	q := openTestQueue(t, 0)
	for i := range 3 {
		if err := q.Append([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Rotate(); err != nil {
		t.Fatal(err)
	}
	var seen int
	c := q.NewConsumer("t", func([]byte) error { seen++; return nil })
	if n, err := c.Poll(); err != nil || n != 3 {
		t.Fatalf("Poll = %d, %v", n, err)
	}
	c2 := q.NewConsumer("t", func([]byte) error { seen++; return nil })
	if err := c2.LoadCursor(); err != nil {
		t.Fatal(err)
	}
	if n, err := c2.Poll(); err != nil || n != 0 {
		t.Fatalf("second Poll = %d, %v", n, err)
	}
	if seen != 3 {
		t.Errorf("seen %d", seen)
	}
}

func TestWriteIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "INDEX")
	if err := WriteIndex(path, map[int]int64{2: 40, 1: 0}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "1 0\n2 40\n" {
		t.Errorf("index = %q", b)
	}
}
