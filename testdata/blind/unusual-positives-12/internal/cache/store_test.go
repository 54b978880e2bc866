package cache

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestPutManyGet(t *testing.T) {
	s := New(2)
	s.PutMany(map[string][]byte{"a": []byte("1"), "b": []byte("2"), "c": []byte("3")}, time.Minute)
	if n := s.Len(); n != 2 {
		t.Fatalf("Len = %d, want 2", n)
	}
	st := s.Stats()
	if st.Evicted != 1 {
		t.Errorf("Evicted = %d, want 1", st.Evicted)
	}
}

func TestSweepAll(t *testing.T) {
	s := New(10)
	s.PutMany(map[string][]byte{"old": nil}, -time.Second)
	s.PutMany(map[string][]byte{"new": nil}, time.Hour)
	if got := s.SweepAll(time.Now(), 10); got != 1 {
		t.Fatalf("SweepAll removed %d, want 1", got)
	}
	if _, ok := s.Get("new"); !ok {
		t.Error("fresh entry was swept")
	}
}

func TestConcurrentDelete(t *testing.T) {
	s := New(100)
	for i := 0; i < 50; i++ {
		s.PutMany(map[string][]byte{fmt.Sprint(i): nil}, time.Minute)
	}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			s.Delete(k)
		}(fmt.Sprint(i))
	}
	wg.Wait()
	if n := s.Len(); n != 0 {
		t.Fatalf("Len = %d after deleting all", n)
	}
}
