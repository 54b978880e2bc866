package backend

import (
	"sync"
	"testing"
)

func TestSmoothWRRDistribution(t *testing.T) {
	p := NewPool("web", map[string]int{"a:80": 5, "b:80": 1, "c:80": 1})
	counts := map[string]int{}
	for i := 0; i < 700; i++ {
		b, err := p.Next()
		if err != nil {
			t.Fatal(err)
		}
		counts[b.Addr]++
	}
	if counts["a:80"] != 500 || counts["b:80"] != 100 || counts["c:80"] != 100 {
		t.Fatalf("distribution = %v", counts)
	}
}

func TestNextSkipsUnhealthy(t *testing.T) {
	p := NewPool("web", map[string]int{"a:80": 1, "b:80": 1})
	if err := p.MarkUp("b:80"); err != nil {
		t.Fatal(err)
	}
	b, _ := p.Get("a:80")
	b.SetHealthy(false)
	for i := 0; i < 10; i++ {
		got, err := p.Next()
		if err != nil {
			t.Fatal(err)
		}
		if got.Addr != "b:80" {
			t.Fatalf("picked unhealthy backend %s", got.Addr)
		}
	}
}

func TestNextConcurrent(t *testing.T) {
	p := NewPool("web", map[string]int{"a:80": 3, "b:80": 2})
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 250; i++ {
				b, err := p.Next()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[b.Addr]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if seen["a:80"]+seen["b:80"] != 1000 {
		t.Fatalf("picks = %v", seen)
	}
}

func TestLeastConn(t *testing.T) {
	a, b := NewBackend("a:80", 1), NewBackend("b:80", 1)
	release := a.Acquire()
	defer release()
	if got := LeastConn([]*Backend{a, b}); got != b {
		t.Fatalf("LeastConn = %v, want b", got)
	}
}
