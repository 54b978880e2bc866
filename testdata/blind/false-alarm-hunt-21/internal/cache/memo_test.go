package cache

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoGetConcurrent(t *testing.T) {
	var calls atomic.Int32
	m := NewMemo(time.Minute, func(k string) (int, error) {
		calls.Add(1)
		return len(k), nil
	})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := m.Get("abcd"); err != nil || v != 4 {
				t.Errorf("Get = %d, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if m.Len() != 1 {
		t.Fatalf("Len = %d", m.Len())
	}
}

func TestMemoLoadError(t *testing.T) {
	boom := errors.New("boom")
	m := NewMemo(time.Minute, func(string) (int, error) { return 0, boom })
	if _, err := m.Get("x"); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if m.Len() != 0 {
		t.Fatal("failed load was cached")
	}
}

func TestDiskRoundTrip(t *testing.T) {
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	k := Key([]byte("tmpl"), []byte("spec"))
	if err := d.Store(k, []byte("package x\n")); err != nil {
		t.Fatal(err)
	}
	got, ok := d.Load(k)
	if !ok || string(got) != "package x\n" {
		t.Fatalf("Load = %q, %v", got, ok)
	}
	if hits, misses := d.Stats(); hits != 1 || misses != 0 {
		t.Fatalf("stats %d/%d", hits, misses)
	}
}
