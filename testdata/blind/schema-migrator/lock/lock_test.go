package lock

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"example.com/migrator/internal/fakedb"
)

func TestMutexTableSerialises(t *testing.T) {
	mt := NewMutexTable()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		inside  int
		overlap bool
	)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = mt.Do("users", func() error {
				mu.Lock()
				inside++
				if inside > 1 {
					overlap = true
				}
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				inside--
				mu.Unlock()
				return nil
			})
		}()
	}
	wg.Wait()
	if overlap {
		t.Fatal("two holders of the same name at once")
	}
}

func TestRegistryAcquire(t *testing.T) {
	r := NewRegistry()
	if err := r.Acquire("schema", "a"); err != nil {
		t.Fatal(err)
	}
	if err := r.Acquire("schema", "b"); err == nil {
		t.Fatal("second owner got the lock")
	}
	if owner, ok := r.Owner("schema"); !ok || owner != "a" {
		t.Fatalf("owner = %q, %v", owner, ok)
	}
	if n := r.ReleaseOwner("a"); n != 1 {
		t.Fatalf("released %d", n)
	}
}

func TestTableLockAcquireRelease(t *testing.T) {
	ctx := context.Background()
	fakedb.Reset("lock-test")
	db, err := sql.Open(fakedb.DriverName, "lock-test")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := NewTableLock(db, "a", nil)
	b := NewTableLock(db, "b", nil)
	if err := a.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	release, err := a.Acquire(ctx, "schema")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Acquire(ctx, "schema"); err == nil {
		t.Fatal("b got a lock held by a")
	}
	release()
	releaseB, err := b.Acquire(ctx, "schema")
	if err != nil {
		t.Fatal(err)
	}
	releaseB()
}
