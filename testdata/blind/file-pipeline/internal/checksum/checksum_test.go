package checksum

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const helloSum = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

func TestHashReader(t *testing.T) {
	s, n, err := HashReader(strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 || s.String() != helloSum {
		t.Fatalf("got %s (%d bytes)", s, n)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	s, err := ParseSum(helloSum)
	if err != nil {
		t.Fatal(err)
	}
	m := NewManifest()
	m.Add("b/x.txt", s)
	m.Add("a.txt", s)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.SplitN(buf.String(), "\n", 2)[0], "a.txt") {
		t.Fatalf("manifest not sorted:\n%s", buf.String())
	}
	back, err := ParseManifest(&buf)
	if err != nil {
		t.Fatal(err)
	}
	added, removed, changed := back.Diff(m)
	if len(added)+len(removed)+len(changed) != 0 {
		t.Fatalf("diff after round trip: %v %v %v", added, removed, changed)
	}
}

func writeFiles(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i := range n {
		p := filepath.Join(dir, strings.Repeat("f", i+1))
		if err := os.WriteFile(p, []byte("hello"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestHashParallelOrder(t *testing.T) {
	paths := writeFiles(t, 8)
	for i, r := range HashParallel(paths, 3) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if r.Path != paths[i] || r.Sum.String() != helloSum {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
}

func TestCollect(t *testing.T) {
	paths := writeFiles(t, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	results, err := Collect(ctx, paths, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(paths) {
		t.Fatalf("got %d results, want %d", len(results), len(paths))
	}
}

func TestSumWithTimeout(t *testing.T) {
	paths := writeFiles(t, 1)
	s, err := SumWithTimeout(paths[0], 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if s.String() != helloSum {
		t.Fatalf("sum = %s", s)
	}
}
