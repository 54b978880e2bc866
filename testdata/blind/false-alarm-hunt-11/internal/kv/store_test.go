package kv_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"example.com/fah11/internal/kv"
)

func TestPutGetDelete(t *testing.T) {
	s := kv.New(4)
	defer s.Close()

	if _, err := s.Put("a", []byte("1")); err != nil {
		t.Fatal(err)
	}
	v, ver, err := s.Get("a")
	if err != nil || string(v) != "1" || ver == 0 {
		t.Fatalf("Get = %q, %d, %v", v, ver, err)
	}
	if !s.Delete("a") {
		t.Fatal("Delete reported missing key")
	}
	if _, _, err := s.Get("a"); !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}

func TestWatchCancelAfterClose(t *testing.T) {
	s := kv.New(2)
	ch, cancel := s.Watch(1)
	defer cancel()

	if _, err := s.Put("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if ev := <-ch; ev.Key != "k" {
		t.Fatalf("event for %q", ev.Key)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-ch; ok {
		t.Fatal("watch channel still open after Close")
	}
}

func TestTxnConflict(t *testing.T) {
	s := kv.New(8)
	defer s.Close()
	if _, err := s.Put("x", []byte("1")); err != nil {
		t.Fatal(err)
	}

	txn := s.Begin()
	if _, err := txn.Get("x"); err != nil {
		t.Fatal(err)
	}
	txn.Set("y", []byte("2"))
	if _, err := s.Put("x", []byte("changed")); err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("Commit = %v, want ErrConflict", err)
	}
}

func TestConcurrentPuts(t *testing.T) {
	s := kv.New(16)
	defer s.Close()

	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if _, err := s.Put(fmt.Sprintf("w%d-%d", w, i), []byte("v")); err != nil {
					t.Errorf("Put: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := s.Len(); got != 800 {
		t.Fatalf("Len = %d, want 800", got)
	}
}

func TestCacheEvictsOldest(t *testing.T) {
	var evicted []string
	c := kv.NewCache(2, func(k string, _ []byte) { evicted = append(evicted, k) })
	c.Add("a", nil)
	c.Add("b", nil)
	c.Get("a")
	c.Add("c", nil)
	if len(evicted) != 1 || evicted[0] != "b" {
		t.Fatalf("evicted %v, want [b]", evicted)
	}
}
