package store

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSetGetDelete(t *testing.T) {
	s := New(0)
	s.Set("a", []byte("1"))
	if v, ok := s.Get("a"); !ok || string(v) != "1" {
		t.Fatalf("Get(a) = %q, %v", v, ok)
	}
	if !s.Delete("a") || s.Delete("a") {
		t.Fatal("Delete did not report presence correctly")
	}
}

func TestExpire(t *testing.T) {
	s := New(0)
	s.Set("k", []byte("v"))
	if err := s.ClearTTL("missing"); err != ErrNotFound {
		t.Fatalf("ClearTTL(missing) = %v", err)
	}
	s.expires["k"] = time.Now().Add(-time.Second)
	if n := s.Expire(time.Now()); n != 1 {
		t.Fatalf("Expire = %d, want 1", n)
	}
}

func TestIncr(t *testing.T) {
	cases := []struct {
		name  string
		start string
		delta int64
		want  int64
		fail  bool
	}{
		{"fresh", "", 3, 3, false},
		{"existing", "10", -4, 6, false},
		{"garbage", "x", 1, 0, true},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(0)
			if tc.start != "" {
				s.Set("c", []byte(tc.start))
			}
			got, err := s.Incr("c", tc.delta)
			if (err != nil) != tc.fail || got != tc.want {
				t.Fatalf("Incr = %d, %v", got, err)
			}
		})
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.gob.gz")
	s := New(0)
	s.Set("x", []byte("y"))
	if err := s.SaveSnapshot(path); err != nil {
		t.Fatal(err)
	}
	r := New(0)
	if err := r.LoadSnapshot(path); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.DumpText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "x\t1") {
		t.Fatalf("dump = %q", buf.String())
	}
}

func TestApplyBatchAtomicRollsBack(t *testing.T) {
	s := New(0)
	s.Set("keep", []byte("1"))
	err := s.ApplyBatchAtomic([]Op{{Kind: "set", Key: "new", Value: []byte("2")}, {Kind: "del", Key: "nope"}})
	if err == nil {
		t.Fatal("expected error")
	}
	if _, ok := s.Get("new"); ok {
		t.Fatal("batch was not rolled back")
	}
}
