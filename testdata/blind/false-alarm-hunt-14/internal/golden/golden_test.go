package golden

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if *update && code == 0 {
		fmt.Println("golden files updated")
	}
	os.Exit(code)
}

// recorder is a testing.TB that records failures instead of stopping the test.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

func TestAssertMatches(t *testing.T) {
	if Updating() {
		t.Skip("comparing is meaningless with -update")
	}
	rec := &recorder{TB: t}
	Assert(rec, "hello", []byte("hello, golden\n"))
	if len(rec.failed) != 0 {
		t.Errorf("Assert failed on matching content: %v", rec.failed)
	}
}

func TestAssertReportsDiff(t *testing.T) {
	if Updating() {
		t.Skip("comparing is meaningless with -update")
	}
	rec := &recorder{TB: t}
	Assert(rec, "hello", []byte("hello, world\n"))
	if len(rec.failed) != 1 || !strings.Contains(rec.failed[0], "+ hello, world") {
		t.Errorf("failures = %q", rec.failed)
	}
}

func TestWriteAtomic(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nested", "out.golden")
	Write(t, path, []byte("v1"))
	Write(t, path, []byte("v2"))
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "v2" {
		t.Errorf("content = %q", got)
	}
	if _, err := os.Stat(path + ".tmp"); err == nil {
		t.Error("temporary file left behind")
	}
}

func TestWriteStream(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "stream.golden")
	WriteStream(t, path, func(w io.Writer) error {
		for i := range 3 {
			if _, err := fmt.Fprintf(w, "line %d\n", i); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "line 0\nline 1\nline 2\n"; string(got) != want {
		t.Errorf("content = %q, want %q", got, want)
	}
}

func TestAcquireTwice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Release(); err != nil {
			t.Errorf("Release: %v", err)
		}
	})
	if _, err := Acquire(dir); err == nil {
		t.Fatal("second Acquire succeeded")
	}
}

func TestWithReleasesLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	calls := 0
	if err := With(dir, func() error { calls++; return nil }); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("fn called %d times", calls)
	}
	if _, err := os.Stat(filepath.Join(dir, ".golden.lock")); !os.IsNotExist(err) {
		t.Errorf("lock file still present: %v", err)
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb", "a\nb", ""},
		{"changed", "a\nb", "a\nc", "2 - b\n2 + c\n"},
		{"added", "a", "a\nb", "2 + b\n"},
		{"removed", "a\nb", "a", "2 - b\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Diff(tc.want, tc.got); got != tc.diff {
				t.Errorf("Diff = %q, want %q", got, tc.diff)
			}
		})
	}
}

func TestAcquireRealTestdata(t *testing.T) {
	l, err := Acquire("testdata")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	data, err := os.ReadFile(Path("hello"))
	if err != nil {
		log.Fatalf("golden: reading fixture under lock: %v", err) // HAZ exit-skips-defer
	}
	if !strings.HasPrefix(string(data), "hello") {
		t.Errorf("hello.golden = %q", data)
	}
}
