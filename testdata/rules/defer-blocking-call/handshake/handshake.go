// Shutdown handshakes: deferred code that tells goroutines (or a process) to stop and then
// waits for them is bounded by how fast they notice, and is not reported. Waits before the
// signal, and waits that are not for other goroutines, still are.
package handshake

import (
	"context"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

func closeThenReceive(c net.Conn) error {
	done := make(chan struct{})
	errCh := make(chan error, 1)
	go func() {
		select {
		case <-done:
			errCh <- nil
		case <-time.After(time.Minute):
			errCh <- c.Close()
		}
	}()
	defer func() {
		close(done)
		<-errCh
	}()
	_, err := c.Write([]byte("hello"))
	return err
}

func cancelThenWait(ctx context.Context, jobs []func(context.Context)) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j(ctx)
		}()
	}
}

func killThenWait(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	return nil
}

type reader struct {
	conn   net.Conn
	quit   chan struct{}
	exited chan struct{}
}

func (r *reader) join() { <-r.exited }

// The literal signals, then calls a helper that waits.
func (r *reader) run() {
	defer func() {
		close(r.quit)
		r.join()
	}()
	go func() {
		defer close(r.exited)
		<-r.quit
	}()
}

// A method that closes the connection and then waits for the reader to see it.
func (r *reader) Close() {
	r.conn.Close()
	<-r.exited
}

func (r *reader) serve() {
	defer r.Close()
}

// The wait comes before the signal: it waits for whatever the goroutine is doing.
func waitThenClose(work func() error) {
	done := make(chan struct{})
	errCh := make(chan error)
	go func() {
		errCh <- work()
		<-done
	}()
	defer func() { // want `<-errCh \(line 100\) blocks until a value is sent or the channel is closed, so waitThenClose cannot return`
		<-errCh
		close(done)
	}()
}

// A signal, then a sleep: the sleep waits for nobody.
func closeThenSleep(c net.Conn) {
	defer func() { // want `time\.Sleep\(time\.Second\) \(line 109\) sleeps`
		c.Close()
		time.Sleep(time.Second)
	}()
}

type dialer struct {
	cancelDial  func()
	dialDone    chan struct{}
	dialStarted bool
}

func (d *dialer) stopDialing() { d.cancelDial() }

func (d *dialer) waitDial() { <-d.dialDone }

// A method named for what it stops (stopDialing), then a helper that waits for the dial to end.
func (d *dialer) monitor() {
	defer func() {
		d.stopDialing()
		d.waitDial()
	}()
	go func() {
		defer close(d.dialDone)
	}()
}

func (d *dialer) Stopped() bool { return !d.dialStarted }

// A predicate named like a stop (Stopped) signals nothing: the wait after it is still reported.
func (d *dialer) poll() {
	defer func() { // want `d\.waitDial\(\)|<-d\.dialDone`
		if d.Stopped() {
			return
		}
		d.waitDial()
	}()
}

// Two defers: the stop signal registered last runs first, then the wait for the workers.
func runWorkers(n int, work func(stop <-chan struct{})) {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := make(chan struct{})
	defer close(stop)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(stop)
		}()
	}
}

// The same with a context's cancel.
func superviseAll(ctx context.Context, jobs []func(context.Context)) {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job(ctx)
		}()
	}
}

// The stop signal deferred before the wait runs after it: the wait is not bounded by it.
func stopTooLate(n int, work func(stop <-chan struct{})) {
	stop := make(chan struct{})
	defer close(stop)
	var wg sync.WaitGroup
	defer wg.Wait() // want `deferred wg.Wait\(\) blocks until every goroutine of the group has called Done`
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(stop)
		}()
	}
}

type server struct {
	quit chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

// Serve returns only after a Stop in progress has finished: the wait follows the stop signal.
func (s *server) serve() {
	s.wg.Add(1)
	defer func() {
		s.wg.Done()
		select {
		case <-s.quit:
			<-s.done
		default:
		}
	}()
}

// The wait that makes closing the results channel safe: what defer-close-chan-with-sender asks for.
func gather(n int, work func(int) int) <-chan int {
	out := make(chan int, n)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		close(out)
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- work(i)
		}()
	}
	return out
}

type worker struct {
	once sync.Once
	stop chan struct{}
	done chan struct{}
}

// closeOnce signals the stop once, then waits for the worker to see it.
func (w *worker) closeOnce() {
	w.once.Do(func() { close(w.stop) })
	<-w.done
}

func (w *worker) runOnce() {
	defer w.closeOnce()
}

type channel struct {
	mu       sync.Mutex
	conn     net.Conn
	readDone chan struct{}
}

// The wait for the read loop is registered first, and the connection it reads from is closed on
// the way out (`return c.conn.Close()`), before the deferred receive runs.
func (c *channel) close(graceful bool) error {
	c.mu.Lock()
	readDone := c.readDone
	if graceful && readDone != nil {
		defer func() {
			<-readDone
		}()
	}
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return nil
	}
	return c.conn.Close()
}

// What the function closes on the way out is a file it opened itself: the workers are not told
// to stop, and the wait lasts as long as they run.
func feedWorkers(path string, jobs []string, work func(string)) error {
	var wg sync.WaitGroup
	defer wg.Wait() // want `deferred wg.Wait\(\) blocks until every goroutine of the group has called Done`
	ch := make(chan string)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				work(j)
			}
		}()
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		ch <- j
	}
	return f.Close()
}

type update struct{ done chan struct{} }

// The close after the defer answers one update inside the loop; it does not stop the purger, so
// the deferred receive waits for as long as the purger runs.
func runUpdates(updates <-chan update, purge func(chan struct{})) {
	purgeDone := make(chan struct{})
	defer func() { // want `<-purgeDone \(line \d+\) blocks until a value is sent or the channel is closed`
		<-purgeDone
	}()
	go purge(purgeDone)
	for u := range updates {
		close(u.done)
	}
}
