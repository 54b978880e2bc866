package download

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func writeChunk(t *testing.T, dir, name, content string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

func TestVerifyChunksEach(t *testing.T) {
	dir := t.TempDir()
	sums := map[string]string{
		"0000": writeChunk(t, dir, "0000", "alpha"),
		"0001": writeChunk(t, dir, "0001", "beta"),
	}
	if err := VerifyChunksEach(dir, sums); err != nil {
		t.Fatal(err)
	}
	sums["0001"] = sums["0000"]
	if err := VerifyChunksEach(dir, sums); err == nil {
		t.Fatal("mismatch not detected")
	}
}

func TestVerifyChunksInlineReportsBad(t *testing.T) {
	dir := t.TempDir()
	sums := map[string]string{
		"a": writeChunk(t, dir, "a", "one"),
		"b": "0000",
	}
	writeChunk(t, dir, "b", "two")
	bad, err := VerifyChunksInline(dir, sums)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0] != "b" {
		t.Fatalf("bad = %v", bad)
	}
}

func TestParseETag(t *testing.T) {
	if e, ok := ParseETag(`"abc"`); !ok || e != "abc" {
		t.Fatalf("ParseETag plain = %q, %v", e, ok)
	}
	if _, ok := ParseETag(`"abc-3"`); ok {
		t.Fatal("multipart ETag treated as content hash")
	}
}

func TestStateRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.state")
	s := &State{Key: "k", ETag: "e", Size: 10, Offset: 4}
	if err := s.Persist(p); err != nil {
		t.Fatal(err)
	}
	got, err := LoadState(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Offset != 4 || got.Key != "k" {
		t.Fatalf("LoadState = %+v", got)
	}
}
