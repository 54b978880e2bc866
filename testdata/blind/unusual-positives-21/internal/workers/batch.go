package workers

import (
	"log"
	"sync"
)

// RunBatch runs every job concurrently and returns the results of the jobs
// that succeeded.
func RunBatch(jobs []Job, run func(Job) (Result, error), lg *log.Logger) []Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Result
	)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			finish := func() {
				wg.Done() // HAZ waitgroup-done-path
			}
			res, err := run(j)
			if err != nil {
				lg.Printf("batch: job %s: %v", j.ID, err)
				return
			}
			mu.Lock()
			out = append(out, res)
			mu.Unlock()
			finish()
		}()
	}
	wg.Wait()
	return out
}

// RunBatchSafe is RunBatch with the finishing closure deferred, so the
// error path and a panicking job both release the WaitGroup.
func RunBatchSafe(jobs []Job, run func(Job) (Result, error), lg *log.Logger) []Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Result
	)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			finish := func() { wg.Done() }
			defer finish()
			res, err := run(j)
			if err != nil {
				lg.Printf("batch: job %s: %v", j.ID, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			out = append(out, res)
		}()
	}
	wg.Wait()
	return out
}

// RunLimited runs jobs with at most limit in flight. The release closure
// frees the slot and the WaitGroup together and is deferred.
func RunLimited(jobs []Job, limit int, run func(Job) (Result, error)) []error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			release := func() {
				<-sem
				wg.Done()
			}
			defer release()
			_, errs[i] = run(j)
		}()
	}
	wg.Wait()
	return errs
}

// Message is one replication message.
type Message struct {
	Digest string
	Data   []byte
	Poison bool
}

// Dispatcher forwards messages to a sink on one goroutine.
type Dispatcher struct {
	in   chan Message
	wg   sync.WaitGroup
	sink func(Message) error
	errs int
}

// NewDispatcher returns a dispatcher with a queue of depth messages.
func NewDispatcher(depth int, sink func(Message) error) *Dispatcher {
	return &Dispatcher{in: make(chan Message, depth), sink: sink}
}

// Start launches the forwarding loop.
func (d *Dispatcher) Start() {
	d.wg.Add(1)
	go d.loop()
}

// Send queues m.
func (d *Dispatcher) Send(m Message) { d.in <- m }

// Close stops accepting messages and waits for the loop to finish.
func (d *Dispatcher) Close() int {
	close(d.in)
	d.wg.Wait()
	return d.errs
}

func (d *Dispatcher) loop() {
	ack := func() {
		d.wg.Done() // HAZ waitgroup-done-path
	}
	for m := range d.in {
		if m.Poison {
			// a poison message means the peer reset: stop forwarding
			return
		}
		if err := d.sink(m); err != nil {
			d.errs++
		}
	}
	ack()
}

// Relay is a Dispatcher whose loop defers its acknowledgement.
type Relay struct {
	in   chan Message
	wg   sync.WaitGroup
	sink func(Message) error
}

// NewRelay returns a relay with a queue of depth messages.
func NewRelay(depth int, sink func(Message) error) *Relay {
	return &Relay{in: make(chan Message, depth), sink: sink}
}

// Start launches the relay loop.
func (r *Relay) Start() {
	r.wg.Add(1)
	go r.loop()
}

// Close stops the relay and waits for it.
func (r *Relay) Close() {
	close(r.in)
	r.wg.Wait()
}

func (r *Relay) loop() {
	ack := func() { r.wg.Done() }
	defer ack()
	for m := range r.in {
		if m.Poison {
			return
		}
		_ = r.sink(m)
	}
}
