package fixture

import (
	"context"
	"net"
	"os"
	"os/signal"
	"sync"
)

type feedServer struct {
	mu    sync.Mutex
	subs  map[string]func()
	acks  map[int]chan error
	onErr func(int, error)
}

func (s *feedServer) subscribe(uri string) error { s.subs[uri] = func() {}; return nil }
func (s *feedServer) unsubscribe(uri string)     { delete(s.subs, uri) }

// Hold until cancelled: subscribe to each, then serve until the context is done; the deferred
// unsubscribes end them all when it is.
func (s *feedServer) listen(ctx context.Context, uris []string) error {
	for _, uri := range uris {
		if err := s.subscribe(uri); err != nil {
			return err
		}
		defer s.unsubscribe(uri)
	}
	<-ctx.Done()
	return ctx.Err()
}

// The same until the process is told to stop.
func connectAll(addrs []string) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
	return nil
}

// Postponed past the unlock: the callbacks are deferred so that they run after the final unlock,
// outside the critical section.
func (s *feedServer) closeAll(err error) {
	s.mu.Lock()
	for id, ch := range s.acks {
		close(ch)
		if s.onErr != nil {
			defer s.onErr(id, err)
		}
		delete(s.acks, id)
	}
	s.mu.Unlock()
}

// Handed to a goroutine started in the same iteration: the connection has to outlive it.
func serveEach(addrs []string, wg *sync.WaitGroup, serve func(net.Conn)) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			serve(c)
		}()
	}
	wg.Wait()
	return nil
}

// Kept beyond the iteration: every connection is used after the loop.
func dialAll(addrs []string, ping func([]net.Conn) error) error {
	var conns []net.Conn
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close()
		conns = append(conns, c)
	}
	return ping(conns)
}

// None of these: a wait on something else, a lock released by a defer, a conn only read here.
func dialWait(addrs []string, done <-chan struct{}) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `connection c from net\.Dial on line \d+ stays open until dialWait returns`
		c.Write([]byte("hello"))
	}
	<-done
	return nil
}

func (s *feedServer) closeAllDeferred(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.acks {
		if s.onErr != nil {
			defer s.onErr(id, err) // want `the deferred s\.onErr\(id, err\) runs only when feedServer\.closeAllDeferred returns`
		}
	}
}

type shardSet struct {
	mu    sync.Mutex
	items []int
}

// A deferred unlock in a loop deadlocks on the next iteration, whatever else the loop does with
// the value holding the mutex.
func lockAndKeep(s *shardSet, done context.Context) []*shardSet {
	var kept []*shardSet
	for i := 0; i < 2; i++ {
		s.mu.Lock()
		defer s.mu.Unlock() // want `s\.mu is locked on line \d+ but the deferred s\.mu\.Unlock\(\) runs only when lockAndKeep returns`
		kept = append(kept, s)
	}
	<-done.Done()
	return kept
}

type backend struct{ addr string }

func (b *backend) Stop() {}

// Elements of a collection made before the loop: they live in it beyond the iteration.
func startAll(n int, use func([]*backend)) {
	backends := make([]*backend, n)
	for i := 0; i < n; i++ {
		backends[i] = &backend{}
		defer backends[i].Stop()
	}
	use(backends)
}

// Elements of a collection made before the loop, reached through the range variable, while the
// function still uses the collection after the loop: each must stay valid until then.
func stopAfterUse(backends []*backend, use func([]*backend)) {
	for _, b := range backends {
		defer b.Stop()
	}
	use(backends)
}

// The same loop when nothing but the count is used after it: each Stop waits for the return.
func stopAfterCount(backends []*backend) int {
	for _, b := range backends {
		defer b.Stop() // want `the deferred b\.Stop\(\) runs only when stopAfterCount returns`
	}
	return len(backends)
}

// The range variable replaced by a new value the iteration made: that value is acquired here.
func restartAll(backends []*backend, use func([]*backend)) {
	for _, b := range backends {
		b = &backend{addr: b.addr}
		defer b.Stop() // want `the deferred b\.Stop\(\) runs only when restartAll returns`
	}
	use(backends)
}

// A select with a timeout case after the loop is no wait for cancellation.
func dialThenWait(ctx context.Context, addrs []string, ready <-chan struct{}) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `connection c from net\.Dial on line \d+ stays open until dialThenWait returns`
		c.Write([]byte("hello"))
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-ready:
	}
	return nil
}
