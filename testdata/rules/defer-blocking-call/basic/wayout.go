package fixture

import (
	"net/http"
	"time"
)

type auditEvent struct {
	action string
	at     time.Time
}

type auditServer struct {
	audit chan auditEvent
	stop  chan struct{}
}

// emit never blocks: a full queue drops the event.
func (s *auditServer) emit(ev auditEvent) {
	select {
	case s.audit <- ev:
	default:
	}
}

func (s *auditServer) run() {
	for {
		select {
		case <-s.audit:
		case <-s.stop:
			return
		}
	}
}

// The handler's deferred send waits while the queue is full; emit shows the package knows it can.
func (s *auditServer) handleDelete(w http.ResponseWriter, r *http.Request) {
	defer func() { s.audit <- auditEvent{action: "delete", at: time.Now()} }() // want `s\.audit <- .* blocks until a receiver takes the value \(elsewhere the package sends on it in a select with a way out\), so auditServer\.handleDelete \(a net/http handler\) cannot finish the request`
	w.WriteHeader(http.StatusNoContent)
}

type hub struct {
	unregister chan *peer
	done       chan struct{}
}

type peer struct{ h *hub }

func newHub() *hub { return &hub{unregister: make(chan *peer), done: make(chan struct{})} }

func (h *hub) run() {
	for {
		select {
		case <-h.unregister:
		case <-h.done:
			return
		}
	}
}

// The reader's deferred unregister blocks for good once the hub has stopped.
func (p *peer) readLoop(lines <-chan string) {
	defer func() { p.h.unregister <- p }() // want `p\.h\.unregister <- p .*blocks until a receiver takes the value`
	for range lines {
	}
}

func (p *peer) readLoopBounded(lines <-chan string) {
	for range lines {
	}
	select {
	case p.h.unregister <- p:
	case <-p.h.done:
	}
}

func startPeers(h *hub, lines <-chan string) {
	p := &peer{h: h}
	go p.readLoop(lines)
	go p.readLoopBounded(lines)
}

// ---- not flagged ----

type server struct {
	requests chan func()
}

func newServer() *server { return &server{requests: make(chan func())} }

func (s *server) loop() {
	for f := range s.requests {
		f()
	}
}

// Every other send on requests is a plain one too: a request to the serving goroutine.
func (s *server) call(f func()) {
	s.requests <- f
}

func (s *server) worker(done func()) {
	defer func() { s.requests <- done }()
}

type bufPool struct {
	free chan []byte
}

// put drops the buffer when the pool is full.
func (p *bufPool) put(b []byte) {
	select {
	case p.free <- b:
	default:
	}
}

// A buffer taken from the pool goes back into the room it left.
func (p *bufPool) withBuffer(f func([]byte)) {
	b := <-p.free
	defer func() { p.free <- b }()
	f(b)
}

// abort has room for the one value sent on it: the deferred send does not wait.
func streamWithAbort(send func(abort <-chan bool) error) error {
	abort := make(chan bool, 1)
	done := make(chan error, 1)
	go func() { done <- send(abort) }()
	defer func() { abort <- true }()
	select {
	case err := <-done:
		return err
	case abort <- true:
		return <-done
	}
}
