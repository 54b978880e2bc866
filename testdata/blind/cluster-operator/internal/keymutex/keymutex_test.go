package keymutex

import (
	"sync"
	"testing"
)

func TestLockSerialisesSameKey(t *testing.T) {
	km := New()
	var (
		wg      sync.WaitGroup
		counter int
	)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer km.Lock("prod/pg")()
			counter++
		}()
	}
	wg.Wait()
	if counter != 50 {
		t.Fatalf("counter = %d, want 50", counter)
	}
	if n := km.Len(); n != 0 {
		t.Fatalf("%d keys left after all unlocks", n)
	}
}

func TestTryLock(t *testing.T) {
	km := New()
	unlock, ok := km.TryLock("a")
	if !ok {
		t.Fatal("TryLock on a free key failed")
	}
	if _, ok := km.TryLock("a"); ok {
		t.Fatal("TryLock on a held key succeeded")
	}
	unlock()
	if unlock2, ok := km.TryLock("a"); !ok {
		t.Fatal("TryLock after unlock failed")
	} else {
		unlock2()
	}
}
