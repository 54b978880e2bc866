package handshake

import (
	"sync"
	"sync/atomic"
)

// workQueue mimics a work queue whose ShutDown makes Get return false to every worker.
type workQueue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	items    []string
	shutting bool
}

func newWorkQueue() *workQueue {
	q := &workQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *workQueue) Add(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, item)
	q.cond.Signal()
}

func (q *workQueue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.shutting {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item, true
}

func (q *workQueue) ShutDown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shutting = true
	q.cond.Broadcast()
}

// The queue is shut down first, so the workers return from Get and the wait ends as soon as
// they finish the item in hand.
func runQueueWorkers(q *workQueue, n int, handle func(string)) {
	var wg sync.WaitGroup
	defer func() {
		q.ShutDown()
		wg.Wait()
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				item, ok := q.Get()
				if !ok {
					return
				}
				handle(item)
			}
		}()
	}
}

// Waiting before the shutdown: the workers are still blocked in Get, so the wait never ends.
func runQueueWorkersWaitFirst(q *workQueue, n int, handle func(string)) {
	var wg sync.WaitGroup
	defer func() { // want `wg\.Wait\(\) \(line \d+\) blocks until every goroutine of the group has called Done, so runQueueWorkersWaitFirst cannot return`
		wg.Wait()
		q.ShutDown()
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				item, ok := q.Get()
				if !ok {
					return
				}
				handle(item)
			}
		}()
	}
}

// pumpSet runs background pumps until Close.
type pumpSet struct {
	wg      sync.WaitGroup
	closed  atomic.Bool
	closeCh chan struct{}
	verbose bool
}

func (p *pumpSet) start(n int, tick func()) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for {
				select {
				case <-p.closeCh:
					return
				default:
					tick()
				}
			}
		}()
	}
}

// The stop is signalled once, under a compare-and-swap guard, before the deferred wait runs.
func (p *pumpSet) Close() error {
	defer p.wg.Wait()
	if p.closed.CompareAndSwap(false, true) {
		close(p.closeCh)
	}
	return nil
}

// Signalled only in verbose mode: otherwise the pumps never hear of it and the wait never ends.
func (p *pumpSet) closeVerbose() error {
	defer p.wg.Wait() // want `deferred p\.wg\.Wait\(\) blocks until every goroutine of the group has called Done`
	if p.verbose {
		close(p.closeCh)
	}
	return nil
}
