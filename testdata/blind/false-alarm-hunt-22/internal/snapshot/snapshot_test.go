package snapshot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteJSONReplacesAtomically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	for _, v := range []map[string]int{{"a": 1}, {"b": 2}} {
		if err := WriteJSON(path, v); err != nil {
			t.Fatal(err)
		}
	}
	var got map[string]int
	if err := ReadJSON(path, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["b"] != 2 {
		t.Fatalf("got %v", got)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json.*"))
	if len(matches) != 0 {
		t.Fatalf("temp files left behind: %v", matches)
	}
}

func TestVerifyGzipDetectsMismatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.json.gz")
	v := map[string]int64{"hits": 10}
	if err := WriteGzip(path, v); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(raw, '\n'))
	if err := VerifyGzip(path, hex.EncodeToString(sum[:])); err != nil {
		t.Fatalf("good digest rejected: %v", err)
	}
	if err := VerifyGzip(path, "00"); err == nil {
		t.Fatal("bad digest accepted")
	}
}

func TestLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	l, err := AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AcquireLock(path); err != ErrLocked {
		t.Fatalf("second acquire: %v, want ErrLocked", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("lock file still there: %v", err)
	}
}
