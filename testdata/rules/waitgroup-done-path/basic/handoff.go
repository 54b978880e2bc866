package fixture

import "sync"

// The group counts live resources, not goroutines: newResource adds one, and the resource's
// destroy marks it done. The constructing goroutine calls Done only when construction fails
// (the resource never lives); on success the count passes to the resource.
type resourcePool struct {
	mu        sync.Mutex
	destroyWG sync.WaitGroup
	idle      []*resource
}

type resource struct{ value int }

func (p *resourcePool) newResource() *resource {
	p.destroyWG.Add(1)
	return &resource{}
}

func (p *resourcePool) destroy(r *resource) {
	_ = r
	p.destroyWG.Done()
}

func (p *resourcePool) grow(construct func() (int, error)) {
	r := p.newResource()
	go func() {
		v, err := construct()
		p.mu.Lock()
		defer p.mu.Unlock()
		if err != nil {
			p.destroyWG.Done()
			return
		}
		r.value = v
		p.idle = append(p.idle, r)
	}()
}

func (p *resourcePool) Close() {
	p.mu.Lock()
	for _, r := range p.idle {
		p.destroy(r)
	}
	p.idle = nil
	p.mu.Unlock()
	p.destroyWG.Wait()
}

// The group comes in as a parameter: the caller added for the goroutines before handing it over.
func startChecks(checks []func() error, wg *sync.WaitGroup) {
	for _, check := range checks {
		go func() {
			if err := check(); err != nil {
				return
			}
			wg.Done() // want `^wg\.Done\(\) on line \d+ is skipped by the return on line \d+ in the goroutine started on line \d+`
		}()
	}
}

func RunChecks(checks []func() error) {
	var wg sync.WaitGroup
	wg.Add(len(checks))
	startChecks(checks, &wg)
	wg.Wait()
}

type feed struct{ msgs chan string }

func (s *feed) receive() string { return <-s.msgs }

// The early Done says the goroutine has started; the parent waits for it, adds one again, and
// the deferred Done says it has finished. Two Adds, two Dones.
func startedThenFinished(s *feed) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done()
		defer wg.Done()
		_ = s.receive()
	}()
	wg.Wait()
	wg.Add(1)
	close(s.msgs)
	wg.Wait()
}

// The same shape with no second Add: the counter goes negative.
func startedTwice(s *feed) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done() // want `wg\.Done\(\) on line \d+ in the goroutine started on line \d+ is followed on the same path by defer wg\.Done\(\)`
		defer wg.Done()
		_ = s.receive()
	}()
	wg.Wait()
	close(s.msgs)
}

// Warm-up: the goroutine marks the first rounds done and goes on until stop is closed, which
// happens only after the Wait.
func warmUp(send func()) {
	const rounds = 10
	var warm sync.WaitGroup
	warm.Add(rounds)
	stop := make(chan struct{})
	go func() {
		i := rounds
		for {
			send()
			select {
			case <-stop:
				return
			default:
			}
			if i > 0 {
				warm.Done()
				i--
			}
		}
	}()
	warm.Wait()
	send()
	close(stop)
}

// The stop channel closed before the Wait: the goroutine can return before its rounds are done.
func warmUpEarlyStop(send func()) {
	const rounds = 10
	var warm sync.WaitGroup
	warm.Add(rounds)
	stop := make(chan struct{})
	go func() {
		i := rounds
		for {
			send()
			select {
			case <-stop:
				return
			default:
			}
			if i > 0 {
				warm.Done() // want `warm\.Done\(\) on line \d+ is skipped by the return on line \d+`
				i--
			}
		}
	}()
	close(stop)
	warm.Wait()
}

type session struct {
	wg       sync.WaitGroup
	shutdown chan struct{}
	closing  chan struct{}
	out      chan string
}

// The goroutine adds to the group itself before the notice it sends, and marks that done; the
// other way out never added anything.
func (s *session) watch() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for range s.out {
		}
	}()
	go func() {
		for {
			select {
			case <-s.shutdown:
				s.wg.Add(1)
				s.out <- "server is about to stop"
				s.wg.Done()
				return
			case <-s.closing:
				return
			}
		}
	}()
}
