package guard

import (
	"errors"
	"sync"
	"testing"
)

func TestAppendOrDropKeepsLimit(t *testing.T) {
	var mu sync.Mutex
	var buf []byte
	if !AppendOrDrop(&mu, &buf, []byte("abcd"), 6) {
		t.Fatal("first append dropped")
	}
	if AppendOrDrop(&mu, &buf, []byte("efg"), 6) {
		t.Fatal("second append should have been dropped")
	}
	if !mu.TryLock() {
		t.Fatal("mutex still held after a dropped append")
	}
	mu.Unlock()
}

func TestWithLockReleasesOnPanic(t *testing.T) {
	var mu sync.Mutex
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Error("expected the callback's panic to propagate")
			}
		}()
		_ = WithLock(&mu, func() error { panic("boom") })
	}()
	if !mu.TryLock() {
		t.Fatal("mutex still held after panic")
	}
	mu.Unlock()
}

func TestUpdateReportsCallbackError(t *testing.T) {
	var mu sync.RWMutex
	m := map[string]string{"a": "1"}
	want := errors.New("rejected")
	err := Update(&mu, m, "a", func(string) (string, error) { return "", want })
	if !errors.Is(err, want) {
		t.Fatalf("Update error = %v, want %v", err, want)
	}
	if got := Snapshot(&mu, m)["a"]; got != "1" {
		t.Fatalf("value changed to %q after a failed update", got)
	}
}
