package leader

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

func newTestElector(t *testing.T, store Store, id string) *Elector {
	t.Helper()
	e, err := New(Config{
		Name:          "operator",
		Identity:      id,
		Store:         store,
		LeaseDuration: time.Second,
		RenewPeriod:   100 * time.Millisecond,
		Logger:        log.New(io.Discard, "", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOnlyOneReplicaAcquires(t *testing.T) {
	store := NewMemoryStore()
	a := newTestElector(t, store, "a")
	b := newTestElector(t, store, "b")
	ctx := context.Background()
	if ok, err := a.tryAcquireOrRenew(ctx); !ok || err != nil {
		t.Fatalf("a: %v %v", ok, err)
	}
	if ok, err := b.tryAcquireOrRenew(ctx); ok || err != nil {
		t.Fatalf("b acquired a held lease: %v %v", ok, err)
	}
	if got := b.Leader(); got != "a" {
		t.Fatalf("b observed leader %q", got)
	}
}

func TestReleaseLetsOthersTakeOver(t *testing.T) {
	store := NewMemoryStore()
	a := newTestElector(t, store, "a")
	b := newTestElector(t, store, "b")
	ctx := context.Background()
	if _, err := a.tryAcquireOrRenew(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.tryAcquireOrRenew(ctx); !ok || err != nil {
		t.Fatalf("b after release: %v %v", ok, err)
	}
}

func TestFileStoreCompareAndSwap(t *testing.T) {
	s := NewFileStore(t.TempDir())
	ctx := context.Background()
	first := Lease{Holder: "a", RenewedAt: time.Unix(100, 0), Duration: time.Second}
	if err := s.CompareAndSwap(ctx, "op", Lease{}, first); err != nil {
		t.Fatal(err)
	}
	stale := Lease{Holder: "b"}
	if err := s.CompareAndSwap(ctx, "op", stale, Lease{Holder: "b"}); !errors.Is(err, ErrLeaseConflict) {
		t.Fatalf("stale swap: %v", err)
	}
	got, err := s.Get(ctx, "op")
	if err != nil || got.Holder != "a" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
}
