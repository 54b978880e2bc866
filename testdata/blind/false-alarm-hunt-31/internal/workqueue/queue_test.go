package workqueue

import (
	"sync"
	"testing"
	"time"
)

func TestAddDeduplicates(t *testing.T) {
	q := New(NewExponentialLimiter(time.Millisecond, time.Second))
	t.Cleanup(q.ShutDown)
	q.Add("a")
	q.Add("a")
	q.Add("b")
	if got := q.Len(); got != 2 {
		t.Fatalf("Len() = %d, want 2", got)
	}
}

func TestShutDownUnblocksGet(t *testing.T) {
	q := New(NewExponentialLimiter(time.Millisecond, time.Second))
	got := make(chan bool, 1)
	go func() {
		_, shutdown := q.Get()
		got <- shutdown
	}()
	q.ShutDown()
	select {
	case shutdown := <-got:
		if !shutdown {
			t.Fatal("Get returned an item after shutdown")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Get did not return after ShutDown")
	}
}

func TestWorkersDrainQueue(t *testing.T) {
	q := New(NewExponentialLimiter(time.Millisecond, time.Second))
	for _, k := range []string{"a", "b", "c", "d"} {
		q.Add(k)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]int{}
	)
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				item, shutdown := q.Get()
				if shutdown {
					return
				}
				mu.Lock()
				seen[item]++
				mu.Unlock()
				q.Done(item)
			}
		}()
	}
	deadline := time.Now().Add(2 * time.Second)
	for q.Len() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	q.ShutDownWithDrain()
	wg.Wait()
	if len(seen) != 4 {
		t.Fatalf("processed %v, want 4 distinct items", seen)
	}
}

func TestExponentialBackoff(t *testing.T) {
	cases := []struct {
		failures int
		want     time.Duration
	}{
		{0, time.Millisecond},
		{1, 2 * time.Millisecond},
		{3, 8 * time.Millisecond},
		{20, time.Second},
	}
	for _, tc := range cases {
		t.Run(time.Duration(tc.failures).String(), func(t *testing.T) {
			l := NewExponentialLimiter(time.Millisecond, time.Second)
			t.Cleanup(func() { l.Forget("x") })
			for i := 0; i < tc.failures; i++ {
				l.When("x")
			}
			if got := l.When("x"); got != tc.want {
				t.Errorf("after %d failures When = %v, want %v", tc.failures, got, tc.want)
			}
		})
	}
}
