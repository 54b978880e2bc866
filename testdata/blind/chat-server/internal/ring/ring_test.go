package ring

import (
	"reflect"
	"sync"
	"testing"
)

func TestPushWraps(t *testing.T) {
	b := New[int](3)
	for i := 1; i <= 5; i++ {
		b.Push(i)
	}
	if got, want := b.Snapshot(), []int{3, 4, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Snapshot = %v, want %v", got, want)
	}
	if got, want := b.Last(2), []int{4, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Last(2) = %v, want %v", got, want)
	}
}

func TestDrainEmpties(t *testing.T) {
	b := New[string](4)
	b.Push("a")
	b.Push("b")
	if got := b.Drain(); len(got) != 2 {
		t.Fatalf("Drain = %v", got)
	}
	if b.Len() != 0 {
		t.Fatalf("Len after Drain = %d", b.Len())
	}
}

func TestConcurrentPush(t *testing.T) {
	b := New[int](64)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				b.Push(w*1000 + i)
			}
		}(w)
	}
	wg.Wait()
	if b.Len() != 64 {
		t.Fatalf("Len = %d, want 64", b.Len())
	}
}
