package catalog

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPutGetRemove(t *testing.T) {
	c := New()
	if err := c.Put(Asset{ID: "a1", Path: "/in/a1.mov", Tags: []string{"raw"}}); err != nil {
		t.Fatalf("put: %v", err)
	}
	if _, err := c.Get("a1"); err != nil {
		t.Fatalf("get: %v", err)
	}
	if err := c.Remove("a1"); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if got := c.Len(); got != 0 {
		t.Fatalf("len after remove = %d, want 0", got)
	}
}

func TestMergeEach(t *testing.T) {
	cases := []struct {
		name    string
		batches [][]Asset
		want    int
	}{
		{"empty", nil, 0},
		{"skips empty batches", [][]Asset{{}, {{ID: "x"}}, {}}, 1},
		{"two batches", [][]Asset{{{ID: "x"}}, {{ID: "y"}, {ID: "z"}}}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			defer func() {
				if t.Failed() {
					t.Logf("batches: %v", tc.batches)
				}
			}()
			if got := c.MergeEach(tc.batches); got != tc.want {
				t.Errorf("MergeEach = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestJournalAppendAll(t *testing.T) {
	var buf bytes.Buffer
	j := NewJournal(&buf, nil)
	if err := j.AppendAll([]Op{{Kind: "add", ID: "a"}, {Kind: "del", ID: "b"}}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n"); got != 2 {
		t.Fatalf("journal has %d lines, want 2", got)
	}
	if j.Seq() != 2 {
		t.Fatalf("seq = %d", j.Seq())
	}
}

func TestCacheSweep(t *testing.T) {
	c := NewCache(time.Minute)
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return base }
	c.Store("k", Asset{ID: "k"})
	c.now = func() time.Time { return base.Add(2 * time.Minute) }
	if n := c.Sweep(); n != 1 {
		t.Fatalf("swept %d, want 1", n)
	}
}
