package blobstore

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type memLease struct{ held bool }

func (l *memLease) Acquire() error {
	if l.held {
		return ErrLeaseHeld
	}
	l.held = true
	return nil
}

func (l *memLease) Release() error {
	l.held = false
	return nil
}

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseDigest(t *testing.T) {
	good := string(FromBytes([]byte("hello")))
	cases := []struct {
		in string
		ok bool
	}{
		{good, true},
		{strings.ToUpper(good[:7]) + good[7:], false},
		{"sha256:abc", false},
		{"md5:" + strings.Repeat("0", 64), false},
		{"sha256:" + strings.Repeat("z", 64), false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseDigest(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseDigest(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			}
		})
	}
}

func TestPutAndVerify(t *testing.T) {
	s := newTestStore(t)
	d, err := s.Put(strings.NewReader("module example.com/a\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(d); err != nil {
		t.Fatal(err)
	}
	f, err := s.OpenBlob(d)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := FromBytes(b); got != d {
		t.Fatalf("content digest %s, stored as %s", got, d)
	}
}

func TestImportRejectsWrongDigest(t *testing.T) {
	s := newTestStore(t)
	src := filepath.Join(t.TempDir(), "blob")
	if err := os.WriteFile(src, []byte("payload"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrong := FromBytes([]byte("something else"))
	if err := s.Import(wrong, src); err == nil {
		t.Fatal("Import accepted content that does not match its digest")
	}
	if _, err := os.Stat(s.blobPath(wrong)); err == nil {
		t.Fatal("rejected import left a blob behind")
	}
}

func TestSweepKeepsReferenced(t *testing.T) {
	s := newTestStore(t)
	keep, err := s.Put(strings.NewReader("keep"))
	if err != nil {
		t.Fatal(err)
	}
	drop, err := s.Put(strings.NewReader("drop"))
	if err != nil {
		t.Fatal(err)
	}
	s.AddRef(keep)
	c := NewCollector(s, time.Hour, -time.Minute, &memLease{}, log.New(io.Discard, "", 0))
	n, err := c.sweepOnce()
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("removed %d blobs, want 1", n)
	}
	if _, err := os.Stat(s.blobPath(drop)); err == nil {
		t.Fatal("unreferenced blob survived the sweep")
	}
	if err := s.Verify(keep); err != nil {
		t.Fatalf("referenced blob damaged: %v", err)
	}
}
