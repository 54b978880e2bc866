package handshake

import (
	"errors"
	"sync"
)

type peer struct {
	closed chan struct{}
}

func (p *peer) Close(err error) { close(p.closed) }

type model struct {
	mut    sync.RWMutex
	peers  []*peer
	cancel chan struct{}
	done   chan struct{}
	once   sync.Once
}

var errStopped = errors.New("stopped")

// Each connection is told to close in the background, then the function waits for them: the
// wait lasts as long as they take to notice.
func (m *model) closeAllAndWait() {
	m.mut.RLock()
	closed := make([]chan struct{}, 0, len(m.peers))
	for _, p := range m.peers {
		closed = append(closed, p.closed)
		go p.Close(errStopped)
	}
	m.mut.RUnlock()
	for _, c := range closed {
		<-c
	}
}

func (m *model) serve() {
	defer m.closeAllAndWait()
}

// The stop is sent once through sync.Once, then the function waits for the worker to finish.
func (m *model) Cancel() {
	m.once.Do(func() {
		close(m.cancel)
	})
	<-m.done
}

func (m *model) run() {
	defer m.Cancel()
}

// Without telling anyone to stop first, the same wait blocks until the workers finish by themselves.
func (m *model) waitAll() {
	for _, p := range m.peers {
		<-p.closed
	}
}

func (m *model) serveAndWait() {
	defer m.waitAll() // want `deferred m\.waitAll\(\) → model\.waitAll → <-p\.closed \(line 58\) blocks until a value is sent`
}

type stateSync struct {
	cancel     chan struct{}
	done       chan struct{}
	cancelOnce sync.Once
	err        error
}

func (s *stateSync) Wait() error {
	<-s.done
	return s.err
}

// Cancel stops the sync and then waits for it through Wait: deferred, a handshake.
func (s *stateSync) Cancel() error {
	s.cancelOnce.Do(func() {
		close(s.cancel)
	})
	return s.Wait()
}

func runSync(s *stateSync) {
	defer s.Cancel()
}

// Waiting without the stop still blocks until the sync ends by itself.
func runAndWait(s *stateSync) {
	defer s.Wait() // want `deferred s\.Wait\(\) → stateSync\.Wait → <-s\.done \(line 74\) blocks until a value is sent`
}

type prefetcher struct {
	term chan struct{}
	stop chan struct{}
}

func (p *prefetcher) terminate() { close(p.stop) }

func (p *prefetcher) report() { <-p.term }

// Told to stop before the deferred report waits for it to go idle.
func commit(p *prefetcher) {
	if p != nil {
		p.terminate()
		defer func() {
			p.report()
		}()
	}
}

// Without the stop, the deferred report waits for the prefetcher to finish on its own.
func commitNoStop(p *prefetcher) {
	if p != nil {
		defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → prefetcher\.report → <-p\.term \(line 102\)`
			p.report()
		}()
	}
}

// The same with the stop at the top of the function body.
func commitTop(p *prefetcher) {
	p.terminate()
	defer func() {
		p.report()
	}()
}
