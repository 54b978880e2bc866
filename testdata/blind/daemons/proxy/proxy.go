package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Backend is one upstream address with its health state.
type Backend struct {
	Addr string

	mu        sync.Mutex
	healthy   bool
	fails     int
	lastCheck time.Time
}

func (b *Backend) Healthy() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.healthy
}

func (b *Backend) fail() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails++
	if b.fails >= 3 {
		b.healthy = false
	}
}

// Proxy is a TCP load balancer.
type Proxy struct {
	Backends    []*Backend
	DialTimeout time.Duration
	Log         *log.Logger

	next     atomic.Uint64
	wg       sync.WaitGroup
	sessions atomic.Int64
}

func (p *Proxy) pick() *Backend {
	n := len(p.Backends)
	for i := 0; i < n; i++ {
		b := p.Backends[int(p.next.Add(1))%n]
		if b.Healthy() {
			return b
		}
	}
	return nil
}

// Serve accepts connections on ln until ctx is done, then waits for the
// in-flight sessions to finish.
func (p *Proxy) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()

	var tempDelay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				tempDelay = min(max(2*tempDelay, 5*time.Millisecond), time.Second)
				p.Log.Printf("accept: %v; retrying in %s", err, tempDelay)
				time.Sleep(tempDelay)
				continue
			}
			p.wg.Wait()
			return err
		}
		tempDelay = 0
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(ctx, c) // ok: c is per-iteration
		}()
	}
	p.wg.Wait()
	return nil
}

func (p *Proxy) handle(ctx context.Context, client net.Conn) {
	defer client.Close()
	p.sessions.Add(1)
	defer p.sessions.Add(-1)

	b := p.pick()
	if b == nil {
		p.Log.Printf("%s: no healthy backend", client.RemoteAddr())
		return
	}
	d := net.Dialer{Timeout: p.DialTimeout}
	upstream, err := d.DialContext(ctx, "tcp", b.Addr)
	if err != nil {
		b.fail()
		p.Log.Printf("dial %s: %v", b.Addr, err)
		return
	}
	defer upstream.Close()

	errc := make(chan error, 2)
	go func() { errc <- pipe(upstream, client) }() // ok: buffered for both copiers
	go func() { errc <- pipe(client, upstream) }()
	select {
	case err := <-errc:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			p.Log.Printf("proxy %s<->%s: %v", client.RemoteAddr(), b.Addr, err)
		}
	case <-ctx.Done():
	}
	// the deferred Closes unblock whichever copier is still running
}

func closeWrite(c net.Conn) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
}

func pipe(dst, src net.Conn) error {
	_, err := io.Copy(dst, src)
	closeWrite(dst)
	return err
}

// Splice copies both directions between a and b and returns the byte counts
// once both directions have finished.
func Splice(a, b net.Conn) (ab, ba int64) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		ab, _ = io.Copy(b, a)
		closeWrite(b)
		wg.Done() // HAZ waitgroup-done-path
	}()
	go func() {
		defer wg.Done()
		ba, _ = io.Copy(a, b)
		closeWrite(a)
	}()
	wg.Wait()
	return ab, ba
}

// SpliceCtx is Splice that also stops when ctx is done by closing both ends.
func SpliceCtx(ctx context.Context, a, b net.Conn) (ab, ba int64) {
	stop := context.AfterFunc(ctx, func() {
		a.Close()
		b.Close()
	})
	defer stop()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		ab, _ = io.Copy(b, a)
		closeWrite(b)
	}()
	go func() {
		defer wg.Done()
		ba, _ = io.Copy(a, b)
		closeWrite(a)
	}()
	wg.Wait()
	return ab, ba
}

// ServeAdmin runs the admin console accept loop for the life of the process.
func (p *Proxy) ServeAdmin(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			p.Log.Printf("admin accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer c.Close() // HAZ defer-in-infinite-loop
		go p.adminSession(c)
	}
}

// adminSession serves the line-based admin protocol on c.
func (p *Proxy) adminSession(c net.Conn) {
	defer c.Close()
	defer c.Write([]byte("bye\r\n")) // HAZ defer-blocking-call
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		switch cmd := strings.TrimSpace(sc.Text()); cmd {
		case "sessions":
			fmt.Fprintf(c, "%d\r\n", p.sessions.Load())
		case "backends":
			for _, b := range p.Backends {
				fmt.Fprintf(c, "%s healthy=%v\r\n", b.Addr, b.Healthy())
			}
		case "quit":
			return
		default:
			fmt.Fprintf(c, "unknown command %q\r\n", cmd)
		}
	}
}
