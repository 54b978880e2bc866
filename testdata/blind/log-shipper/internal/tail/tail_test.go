package tail

import (
	"os"
	"path/filepath"
	"testing"
)

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReadLinesKeepsPartial(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	appendFile(t, path, "one\ntw")
	tl, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tl.Close() })
	lines, err := tl.ReadLines(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Text != "one" || tl.Offset() != 4 {
		t.Fatalf("lines=%v offset=%d", lines, tl.Offset())
	}
	appendFile(t, path, "o\n")
	lines, err = tl.ReadLines(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Text != "two" || lines[0].Offset != 8 {
		t.Fatalf("lines=%v", lines)
	}
}

func TestPollFollowsRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	appendFile(t, path, "a\n")
	tl, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tl.Close() })
	if _, err := tl.Poll(10); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, "b\n")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, "c\n")
	lines, err := tl.Poll(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Text != "b" {
		t.Fatalf("drained %v", lines)
	}
	lines, err = tl.Poll(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Text != "c" {
		t.Fatalf("after reopen %v", lines)
	}
}

func TestCountLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	appendFile(t, path, "1\n2\n3\n")
	n, err := CountLines(path)
	if err != nil || n != 3 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}
