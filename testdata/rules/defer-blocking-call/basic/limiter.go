package fixture

// A semaphore of its own named type: the pool acquires a slot by sending on its field, and the
// worker's deferred release receives through a method of the type. The release never waits.
type limiter chan struct{}

func (l limiter) release() {
	if l != nil {
		<-l
	}
}

type pool struct {
	limiter limiter
	tasks   chan func()
}

func (p *pool) Go(f func()) {
	select {
	case p.limiter <- struct{}{}:
		go p.worker()
	default:
	}
	p.tasks <- f
}

func (p *pool) worker() {
	defer p.limiter.release()
	for f := range p.tasks {
		f()
	}
}

// A named channel type nobody sends on as an acquire: waiting on it in a defer still blocks.
type signal chan struct{}

func (s signal) wait() { <-s }

func runUntil(s signal, f func()) {
	defer s.wait() // want `deferred s\.wait\(\) → signal\.wait → <-s \(line 37\) blocks until a value is sent or the channel is closed`
	f()
}

type sink struct {
	inflight chan struct{}
	queue    []int
}

// The slot taken by the caller is handed to produce, whose deferred receive gives it back.
func (s *sink) drain() {
	sem := s.inflight
	for len(s.queue) > 0 {
		sem <- struct{}{}
		s.produce(sem)
	}
}

func (s *sink) produce(sem <-chan struct{}) {
	var sent bool
	defer func() {
		if !sent {
			<-sem
		}
	}()
	if len(s.queue) == 0 {
		return
	}
	s.queue = s.queue[1:]
	sent = true
	go func() { <-sem }()
}

// A parameter that only ever gets a results channel: the deferred receive waits for a sender.
func (s *sink) collect(results <-chan int) {
	defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → <-results \(line 76\) blocks until a value is sent`
		<-results
	}()
}

func (s *sink) run() {
	out := make(chan int)
	go func() { out <- len(s.queue) }()
	s.collect(out)
}

type streamServer struct {
	workers chan struct{}
	results chan int
}

// The slot is taken by a helper that sends on the channel it is given: the caller's field is a
// semaphore, and the worker's deferred receive gives the slot back.
func acquireWorker(done <-chan struct{}, pool chan struct{}) bool {
	select {
	case pool <- struct{}{}:
		return true
	case <-done:
		return false
	}
}

func (s *streamServer) serve(done <-chan struct{}, streams <-chan func()) {
	for st := range streams {
		if !acquireWorker(done, s.workers) {
			return
		}
		go func() {
			defer func() { <-s.workers }()
			st()
		}()
	}
}

// A helper that sends a result is no acquire when only goroutines call it: the deferred receive
// waits for one.
func report(out chan int, v int) { out <- v }

func (s *streamServer) gather(n int) {
	for i := 0; i < n; i++ {
		go report(s.results, i)
	}
	defer func() { <-s.results }() // want `deferred func\(\) \{\.\.\.\}\(\) → <-s\.results \(line 122\) blocks until a value is sent`
}

type workerPool struct {
	semC chan struct{}
	done chan int
}

// The pool takes a token, then hands the semaphore to the goroutine as an argument of the
// literal: the deferred receive is the release.
func (p *workerPool) add(job func()) {
	p.semC <- struct{}{}
	go func(semC <-chan struct{}) {
		defer func() { <-semC }()
		job()
	}(p.semC)
}

// The argument is a channel nobody sends on outside goroutines: the deferred receive waits for
// a worker to finish.
func (p *workerPool) waitOne(job func(chan<- int)) {
	go job(p.done)
	func(done <-chan int) {
		defer func() { <-done }() // want `<-done \(line \d+\) blocks until a value is sent`
	}(p.done)
}
