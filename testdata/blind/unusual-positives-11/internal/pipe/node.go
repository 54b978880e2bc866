package pipe

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up11/internal/metrics"
)

// Node is one member of the relay mesh.
type Node struct {
	Name     string
	peers    []string
	inflight metrics.Gauge
	stopOnce sync.Once
	stop     chan struct{}
	handle   func(context.Context, []byte) error
}

// NewNode returns a node that knows peers.
func NewNode(name string, peers []string, handle func(context.Context, []byte) error) *Node {
	return &Node{Name: name, peers: peers, stop: make(chan struct{}), handle: handle}
}

// notifyPeers tells every peer msg over a fresh TCP connection.
func (n *Node) notifyPeers(msg string) {
	for _, p := range n.peers {
		conn, err := net.Dial("tcp", p)
		if err != nil {
			continue
		}
		fmt.Fprintf(conn, "%s %s\n", msg, n.Name)
		conn.Close()
	}
}

// notifyPeersCtx is notifyPeers bounded by ctx.
func (n *Node) notifyPeersCtx(ctx context.Context, msg string) {
	var d net.Dialer
	for _, p := range n.peers {
		conn, err := d.DialContext(ctx, "tcp", p)
		if err != nil {
			continue
		}
		if dl, ok := ctx.Deadline(); ok {
			_ = conn.SetWriteDeadline(dl)
		}
		fmt.Fprintf(conn, "%s %s\n", msg, n.Name)
		conn.Close()
	}
}

// Leave stops the node and tells the peers it has gone.
func (n *Node) Leave() {
	defer n.notifyPeers("leave") // HAZ defer-blocking-call
	n.stopOnce.Do(func() { close(n.stop) })
}

// LeaveBounded is Leave with the goodbye bounded by a timeout created in
// the deferred call itself.
func (n *Node) LeaveBounded() {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n.notifyPeersCtx(ctx, "leave")
	}()
	n.stopOnce.Do(func() { close(n.stop) })
}

// Handle processes one message and keeps the in-flight gauge current.
func (n *Node) Handle(ctx context.Context, msg []byte) error {
	defer n.inflight.Track() // HAZ defer-func-result-not-called
	if err := n.handle(ctx, msg); err != nil {
		return fmt.Errorf("node %s: %w", n.Name, err)
	}
	return nil
}

// HandleTracked calls the gauge's returned func at exit.
func (n *Node) HandleTracked(ctx context.Context, msg []byte) error {
	defer n.inflight.Track()()
	if err := n.handle(ctx, msg); err != nil {
		return fmt.Errorf("node %s: %w", n.Name, err)
	}
	return nil
}

// Collect polls every source once per tick and delivers values on out
// until ctx ends.
func Collect[T any](ctx context.Context, every time.Duration, srcs []func(context.Context) (T, error), out chan<- T) {
	defer close(out) // HAZ defer-close-chan-with-sender
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, src := range srcs {
				go func() {
					if v, err := src(ctx); err == nil {
						out <- v
					}
				}()
			}
		}
	}
}

// CollectJoined is Collect that waits for the pollers of each tick before
// the next one, so no poller outlives the deferred close.
func CollectJoined[T any](ctx context.Context, every time.Duration, srcs []func(context.Context) (T, error), out chan<- T) {
	defer close(out)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			var wg sync.WaitGroup
			for _, src := range srcs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if v, err := src(ctx); err == nil {
						select {
						case out <- v:
						case <-ctx.Done():
						}
					}
				}()
			}
			wg.Wait()
		}
	}
}

// Resolve looks name up while the name is validated.
func Resolve[T any](ctx context.Context, name string, lookup func(context.Context, string) (T, error), validate func(string) error) (T, error) {
	type res struct {
		v   T
		err error
	}
	ch := make(chan res)
	go func() { // HAZ goroutine-blocked-send
		v, err := lookup(ctx, name)
		ch <- res{v, err}
	}()
	if err := validate(name); err != nil {
		var zero T
		return zero, fmt.Errorf("resolve %q: %w", name, err)
	}
	r := <-ch
	if r.err != nil {
		return r.v, fmt.Errorf("resolve %q: %w", name, r.err)
	}
	return r.v, nil
}

// ResolveValidated validates first and only then starts the lookup.
func ResolveValidated[T any](ctx context.Context, name string, lookup func(context.Context, string) (T, error), validate func(string) error) (T, error) {
	if err := validate(name); err != nil {
		var zero T
		return zero, fmt.Errorf("resolve %q: %w", name, err)
	}
	ch := make(chan T, 1)
	errc := make(chan error, 1)
	go func() {
		v, err := lookup(ctx, name)
		if err != nil {
			errc <- err
			return
		}
		ch <- v
	}()
	select {
	case v := <-ch:
		return v, nil
	case err := <-errc:
		return *new(T), fmt.Errorf("resolve %q: %w", name, err)
	case <-ctx.Done():
		return *new(T), fmt.Errorf("resolve %q: %w", name, ctx.Err())
	}
}

// dropped counts events the collector refused.
var dropped atomic.Int64

// events carries audit events to the collector; it is never closed.
var events = make(chan []byte, 256)

func init() {
	if url := os.Getenv("UP11_EVENTS_URL"); url != "" {
		go forwardEvents(&http.Client{Timeout: 10 * time.Second}, url, events)
	}
}

// Emit queues an event without blocking; it is dropped when the queue is full.
func Emit(ev []byte) bool {
	select {
	case events <- ev:
		return true
	default:
		return false
	}
}

// forwardEvents posts every event to the collector for the life of the
// process.
func forwardEvents(client *http.Client, url string, in <-chan []byte) {
	for ev := range in {
		resp, err := client.Post(url, "application/json", bytes.NewReader(ev))
		if err != nil {
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		if resp.StatusCode/100 != 2 {
			dropped.Add(1)
		}
	}
}

// forwardEventsUntil is forwardEvents with each body closed in its own
// iteration and a way out.
func forwardEventsUntil(ctx context.Context, client *http.Client, url string, in <-chan []byte) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-in:
			resp, err := client.Post(url, "application/json", bytes.NewReader(ev))
			if err != nil {
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}

// DrainConns takes up to n accepted connections and runs handle on each.
func DrainConns(ctx context.Context, conns <-chan net.Conn, n int, handle func(net.Conn) error) error {
	for i := 0; i < n; i++ {
		select {
		case c := <-conns:
			defer c.Close() // HAZ defer-in-loop
			if err := handle(c); err != nil {
				return fmt.Errorf("conn %d: %w", i, err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// DrainConnsEach is DrainConns with every connection closed by its own
// function literal.
func DrainConnsEach(ctx context.Context, conns <-chan net.Conn, n int, handle func(net.Conn) error) error {
	for i := 0; i < n; i++ {
		select {
		case c := <-conns:
			err := func() error {
				defer c.Close()
				return handle(c)
			}()
			if err != nil {
				return fmt.Errorf("conn %d: %w", i, err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
