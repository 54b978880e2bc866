package checksum

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWriteParseVerify(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.tar.gz": "aaa", "b.zip": "bbb"})
	var sums []Sum
	for _, n := range []string{"b.zip", "a.tar.gz"} {
		s, err := File(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, s)
	}
	sumsPath := filepath.Join(dir, "SHA256SUMS")
	if err := WriteSumsFile(sumsPath, sums); err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseSumsFile(sumsPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed) != 2 || parsed[0].Name != "a.tar.gz" {
		t.Fatalf("parsed = %+v", parsed)
	}
	if err := Verify(dir, sumsPath); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.zip"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir, sumsPath); err == nil {
		t.Fatal("Verify accepted a tampered file")
	}
}

func TestSumParallel(t *testing.T) {
	dir := writeFiles(t, map[string]string{"1": "one", "2": "two", "3": "three"})
	paths := []string{filepath.Join(dir, "3"), filepath.Join(dir, "1"), filepath.Join(dir, "2")}
	sums, err := SumParallel(context.Background(), paths, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 3 || sums[0].Name != "1" || sums[2].Name != "3" {
		t.Fatalf("sums = %+v", sums)
	}
}

func TestTreeRelativeNames(t *testing.T) {
	dir := writeFiles(t, map[string]string{"linux/relcli": "x", "darwin/relcli": "y"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sums, err := Tree(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range sums {
		got[s.Name] = true
	}
	if !got["linux/relcli"] || !got["darwin/relcli"] {
		t.Fatalf("names = %v", got)
	}
}
