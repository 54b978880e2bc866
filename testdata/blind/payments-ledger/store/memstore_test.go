package store

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"
)

func TestCommitAppliesWrites(t *testing.T) {
	s := NewMemStore()
	ctx := context.Background()
	if err := WithTx(ctx, s, func(tx Tx) error {
		tx.Put("a", []byte("1"))
		tx.Put("b", []byte("2"))
		return nil
	}); err != nil {
		t.Fatalf("WithTx: %v", err)
	}
	if got := s.Keys(""); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("Keys() = %v, want [a b]", got)
	}
}

func TestConflictingCommit(t *testing.T) {
	s := NewMemStore()
	ctx := context.Background()
	t1, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t1.Get("counter")
	t2.Get("counter")
	t1.Put("counter", []byte{1})
	t2.Put("counter", []byte{2})
	if err := t1.Commit(); err != nil {
		t.Fatalf("first commit: %v", err)
	}
	if err := t2.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("second commit = %v, want ErrConflict", err)
	}
}

func TestWithTxRollsBackOnError(t *testing.T) {
	s := NewMemStore()
	boom := errors.New("boom")
	err := WithTx(context.Background(), s, func(tx Tx) error {
		tx.Put("k", []byte("v"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if n := s.Len(); n != 0 {
		t.Fatalf("Len() = %d after rollback, want 0", n)
	}
}

func TestWithTxRepanics(t *testing.T) {
	s := NewMemStore()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("WithTx swallowed the panic")
		}
		if r != "boom" {
			t.Fatalf("recovered %v, want boom", r)
		}
	}()
	_ = WithTx(context.Background(), s, func(tx Tx) error {
		tx.Put("k", []byte("v"))
		panic("boom")
	})
}

func TestConcurrentIncrements(t *testing.T) {
	s := NewMemStore()
	ctx := context.Background()
	const workers = 8
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- Retry(ctx, s, 50, func(tx Tx) error {
				var n uint64
				if raw, ok := tx.Get("n"); ok {
					n = binary.BigEndian.Uint64(raw)
				}
				tx.Put("n", binary.BigEndian.AppendUint64(nil, n+1))
				return nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("increment: %v", err)
		}
	}
}
