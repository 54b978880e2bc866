// Deferred calls that do not block, or are bounded: no findings.
package fixture

import (
	"context"
	"net/http"
	"os"
	"sync"
	"time"
)

// Plain Close calls.
func ReadFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// Unlock right after lock.
func Locked(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
}

// Shutdown bounded by a timeout context built in the deferred closure.
func ServeBounded(srv *http.Server) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
}

// Shutdown bounded by a deadline context of the function.
func ServeDeadline(srv *http.Server) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(time.Second))
	defer cancel()
	defer srv.Shutdown(ctx)
}

// A select with a timeout case.
func WaitTimeout(done chan struct{}) {
	defer func() {
		select {
		case <-done:
		case <-time.After(time.Second):
		}
	}()
}

// A select with a default case.
func TryNotify(ch chan int) {
	defer func() {
		select {
		case ch <- 1:
		default:
		}
	}()
}

// The wait happens in a goroutine.
func Background(wg *sync.WaitGroup) {
	defer func() {
		go wg.Wait()
	}()
}

// Deferred call of a same-package function that does not block.
func (s *Server) stop() { close(s.done) }

func (s *Server) Stop() {
	defer s.stop()
}

// A short critical section in a deferred closure.
func Count(mu *sync.Mutex, n *int) {
	defer func() {
		mu.Lock()
		*n--
		mu.Unlock()
	}()
}

// The blocking call runs now, only its result is deferred.
func Now(wg *sync.WaitGroup) {
	defer println(time.Now().String())
}

// cancel functions and timers.
func Timer() {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_ = ctx
}

// A literal stored, not called, inside the deferred closure.
func Later(wg *sync.WaitGroup) func() {
	var f func()
	defer func() {
		f = func() { wg.Wait() }
	}()
	return f
}

// defer mu.Lock() after mu.Lock() is defer-lock-mismatch's finding, not this rule's.
func Mismatch(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Lock()
}

// A channel used as a semaphore: the deferred receive releases a slot taken by the send.
var slots = make(chan struct{}, 4)

func acquireSlot() { slots <- struct{}{} }
func releaseSlot() { <-slots }

func Limited() {
	acquireSlot()
	defer releaseSlot()
}

// Re-acquiring a lock that the caller holds, released for the duration of a callback.
func (s *Server) withoutLock(mu *sync.Mutex, f func()) {
	mu.Unlock()
	defer mu.Lock()
	f()
}

// A select whose other case is the owner's shutdown signal.
type conn struct {
	msgs        chan string
	doneServing chan struct{}
}

func (c *conn) send(m string) {
	select {
	case c.msgs <- m:
	case <-c.doneServing:
	}
}

func (c *conn) Finish() {
	defer c.send("bye")
}

// A local semaphore limiting requests in flight: the deferred receive frees the slot.
func InFlight(limit int) http.HandlerFunc {
	sem := make(chan struct{}, limit)
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		default:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}
}

// The goroutine takes a token itself and gives it back in its defer: the receive finds the
// goroutine's own token in the buffer.
func Parallel(jobs []func()) {
	var wg sync.WaitGroup
	sema := make(chan struct{}, 4)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			sema <- struct{}{}
			defer func() {
				<-sema
				wg.Done()
			}()
			j()
		}()
	}
	wg.Wait()
}

// The token is taken before the goroutine starts and given back by the goroutine.
func Spawn(jobs []func(), sem chan struct{}) {
	for _, j := range jobs {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			j()
		}()
	}
}

type call struct {
	err     error
	waiters int
}

// A panic re-raised in a new goroutine (so that it cannot be recovered), after which the
// deferred closure parks in select {} to stay in the crash dump: the process is going down.
func (c *call) finish(fn func() error) {
	defer func() {
		if r := recover(); r != nil {
			if c.waiters > 0 {
				go panic(r)
				select {}
			}
			panic(r)
		}
	}()
	c.err = fn()
}

// The same through a literal that panics.
func (c *call) finishLit(fn func() error) {
	defer func() {
		if r := recover(); r != nil {
			go func() { panic(r) }()
			select {}
		}
	}()
	c.err = fn()
}

// A staging directory the function makes itself, removed on failure.
func stage(dir string, write func(string) error) (err error) {
	tmp := dir + ".tmp"
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	return write(tmp)
}

// Outside a handler, a deferred send of a result on a channel made elsewhere is the function's
// protocol with its consumer (often buffered for exactly this).
func Report(errs chan<- error) {
	var err error
	defer func() { errs <- err }()
}

type ptraceThread struct{ calls chan func() }

func newPtraceThread() *ptraceThread {
	t := &ptraceThread{calls: make(chan func())}
	go func() {
		for fn := range t.calls {
			fn()
		}
	}()
	return t
}

// A request to a goroutine that serves the channel in a loop: taken as soon as it is free.
func (t *ptraceThread) detach() {
	defer func() { t.calls <- func() {} }()
}
