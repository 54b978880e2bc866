package handshake

import (
	"sync"
	"time"
)

// delayQueue adds items after a delay from goroutines it tracks in a WaitGroup; adding takes
// the queue's mutex.
type delayQueue struct {
	mu       sync.Mutex
	items    []string
	stopping bool
	stopCh   chan struct{}
	stopOnce sync.Once
	delayed  sync.WaitGroup
}

func (q *delayQueue) add(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.stopping {
		q.items = append(q.items, item)
	}
}

func (q *delayQueue) addAfter(item string, d time.Duration) {
	q.delayed.Add(1)
	go func() {
		defer q.delayed.Done()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			q.add(item)
		case <-q.stopCh:
		}
	}()
}

// The unlock is deferred first, so it runs after the wait: a goroutine whose timer fired is
// stuck in q.add waiting for q.mu, never reaches its Done, and the wait never ends.
func (q *delayQueue) shutDownLocked() {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.delayed.Wait() // want `deferred q\.delayed\.Wait\(\) blocks .*but q\.mu\.Unlock\(\) is deferred before it and runs after it, so q\.mu stays locked during the wait, and the goroutine started on line 29 locks it \(q\.mu\.Lock\(\) on line 20\) before it can call q\.delayed\.Done\(\)`
	q.stopping = true
	q.stopOnce.Do(func() { close(q.stopCh) })
}

// The wait is deferred first, so the unlock runs before it: a shutdown handshake.
func (q *delayQueue) shutDown() {
	defer q.delayed.Wait()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stopping = true
	q.stopOnce.Do(func() { close(q.stopCh) })
}
