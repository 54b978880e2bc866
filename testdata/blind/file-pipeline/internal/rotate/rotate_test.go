package rotate

import (
	"strings"
	"testing"
	"time"
)

func TestAppendRotates(t *testing.T) {
	dir := t.TempDir()
	r, err := New(dir, "app", 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	tick := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r.now = func() time.Time {
		tick = tick.Add(time.Second)
		return tick
	}
	for _, rec := range []string{"aaaaaa\n", "bbbbbb\n", "cccccc\n"} {
		if err := r.Append([]byte(rec)); err != nil {
			t.Fatal(err)
		}
	}
	segs, err := r.Segments()
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 {
		t.Fatalf("segments = %v", segs)
	}
	if err := r.Sync(); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if _, err := r.Cat(&sb); err != nil {
		t.Fatal(err)
	}
	if sb.String() != "aaaaaa\nbbbbbb\ncccccc\n" {
		t.Fatalf("cat = %q", sb.String())
	}
}

func TestLastLines(t *testing.T) {
	got, err := lastLines(strings.NewReader("1\n2\n3\n4\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "3,4" {
		t.Fatalf("got %v", got)
	}
}

func TestCompressOld(t *testing.T) {
	dir := t.TempDir()
	r, err := New(dir, "app", 1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.WriteLine("first"); err != nil {
		t.Fatal(err)
	}
	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	n, err := r.CompressOld()
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("compressed %d segments, want 1", n)
	}
	segs, err := r.Segments()
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 1 || !strings.HasSuffix(segs[0], ".gz") {
		t.Fatalf("segments = %v", segs)
	}
}
