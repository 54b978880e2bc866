// Package tcpline receives the plain-text line protocol over TCP:
//
//	name value [key=value ...]\n
//
// Lines are grouped into batches of up to MaxBatch records or whatever
// arrived within FlushEvery.
package tcpline

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
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/pdata"
)

// Config configures the receiver.
type Config struct {
	Endpoint    string
	MaxBatch    int
	IdleTimeout time.Duration
	Token       string // when set, sessions must start with "AUTH <token>"
}

// Receiver is the TCP line receiver.
type Receiver struct {
	cfg    Config
	next   component.Consumer
	logger *log.Logger

	ln   net.Listener
	wg   sync.WaitGroup
	quit chan struct{}

	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// New returns a receiver feeding next.
func New(cfg Config, next component.Consumer, logger *log.Logger) *Receiver {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 100
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 2 * time.Minute
	}
	return &Receiver{
		cfg:    cfg,
		next:   next,
		logger: logger,
		quit:   make(chan struct{}),
		conns:  make(map[net.Conn]struct{}),
	}
}

// Addr returns the listening address once started.
func (r *Receiver) Addr() net.Addr { return r.ln.Addr() }

// Start begins accepting connections.
func (r *Receiver) Start(_ context.Context, host component.Host) error {
	ln, err := net.Listen("tcp", r.cfg.Endpoint)
	if err != nil {
		return fmt.Errorf("tcpline: %w", err)
	}
	r.ln = ln
	r.wg.Add(1)
	go r.acceptLoop(host)
	return nil
}

func (r *Receiver) acceptLoop(host component.Host) {
	defer r.wg.Done()
	var backoff time.Duration
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			host.ReportFatalError(fmt.Errorf("tcpline: accept: %w", err))
			return
		}
		backoff = 0
		r.track(conn, true)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.serveConn(conn) // recovers its own panics
			r.track(conn, false)
		}()
	}
}

func (r *Receiver) track(c net.Conn, add bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if add {
		r.conns[c] = struct{}{}
		return
	}
	delete(r.conns, c)
}

// serveConn reads batches from one connection. A malformed client must not
// crash the collector, so panics are logged and the connection dropped.
func (r *Receiver) serveConn(conn net.Conn) {
	defer conn.Close()
	defer func() {
		if p := recover(); p != nil {
			r.logger.Printf("tcpline: %s: panic: %v", conn.RemoteAddr(), p)
		}
	}()
	done := make(chan struct{})
	defer close(done)
	go r.idleWatch(conn, done) // HAZ goroutine-outside-recover
	if err := r.serveSession(conn); err != nil {
		r.logger.Printf("tcpline: %s: %v", conn.RemoteAddr(), err)
	}
}

// idleWatch pushes the read deadline forward until the session ends.
func (r *Receiver) idleWatch(conn net.Conn, done <-chan struct{}) {
	t := time.NewTicker(r.cfg.IdleTimeout / 2)
	defer t.Stop()
	for {
		if err := conn.SetReadDeadline(time.Now().Add(r.cfg.IdleTimeout)); err != nil {
			return
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

// serveSession reads until EOF and tells the client how much it accepted.
func (r *Receiver) serveSession(conn net.Conn) error {
	accepted := 0
	defer func() { r.sayBye(conn, accepted) }() // HAZ defer-blocking-call
	sc := bufio.NewScanner(conn)
	if err := r.authenticate(sc, conn, r.cfg.Token); err != nil {
		return err
	}
	for {
		b, more, err := r.readBatch(sc)
		if err != nil {
			return err
		}
		if b.Len() > 0 {
			if err := r.next.Consume(context.Background(), b); err != nil {
				return err
			}
			accepted += b.Len()
		}
		if !more {
			return nil
		}
	}
}

func (r *Receiver) sayBye(conn net.Conn, accepted int) {
	if _, err := conn.Write([]byte(fmt.Sprintf("BYE accepted=%d\n", accepted))); err != nil {
		r.logger.Printf("tcpline: %s: bye: %v", conn.RemoteAddr(), err)
	}
}

// readBatch reads up to MaxBatch lines. more is false at EOF. A TAGS line
// adds its tags to the records that follow it in the batch.
func (r *Receiver) readBatch(sc *bufio.Scanner) (b pdata.Batch, more bool, err error) {
	var tags map[string]string
	for b.Len() < r.cfg.MaxBatch {
		if !sc.Scan() {
			return b, false, sc.Err()
		}
		if strings.HasPrefix(sc.Text(), "TAGS ") {
			tags = parseTags(sc.Text())
			continue
		}
		rec, err := pdata.ParseLine(sc.Text())
		if errors.Is(err, pdata.ErrEmptyLine) {
			continue
		}
		if err != nil {
			return b, false, err
		}
		for k, v := range tags {
			if rec.Attrs == nil {
				rec.Attrs = make(map[string]string, len(tags))
			}
			rec.Attrs[k] = v
		}
		b.Append(rec)
	}
	return b, true, nil
}

// Shutdown closes the listener and every open connection, then waits for
// the connection goroutines.
func (r *Receiver) Shutdown(ctx context.Context) error {
	if r.ln == nil {
		return nil
	}
	close(r.quit)
	err := r.ln.Close()

	r.mu.Lock()
	open := make([]net.Conn, 0, len(r.conns))
	for c := range r.conns {
		open = append(open, c)
	}
	r.mu.Unlock()
	for _, c := range open {
		_ = c.Close()
	}

	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
}

// Kick closes the connection from remote, e.g. a misbehaving client named
// on the debug console.
func (r *Receiver) Kick(remote string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	for c := range r.conns {
		if c.RemoteAddr().String() == remote {
			delete(r.conns, c)
			r.mu.Unlock()
			return c.Close()
		}
	}
	return fmt.Errorf("tcpline: no connection from %s", remote)
}

// Count returns the number of open connections.
func (r *Receiver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.conns)
}

// authenticate reads the optional "AUTH token" first line of a session.
func (r *Receiver) authenticate(sc *bufio.Scanner, conn net.Conn, token string) error {
	var err error
	defer r.logAuth(conn.RemoteAddr(), err) // HAZ defer-eager-evaluation
	if token == "" {
		return nil
	}
	if !sc.Scan() {
		err = errors.Join(errors.New("tcpline: no AUTH line"), sc.Err())
		return err
	}
	if got, ok := strings.CutPrefix(sc.Text(), "AUTH "); !ok || got != token {
		err = errors.New("tcpline: authentication failed")
	}
	return err
}

func (r *Receiver) logAuth(remote net.Addr, err error) {
	if err != nil {
		r.logger.Printf("tcpline: %s: %v", remote, err)
		return
	}
	r.logger.Printf("tcpline: %s: session accepted", remote)
}

// parseTags parses the optional session tag line "TAGS k=v,k2=v2"; tags
// are best effort, so a malformed line yields whatever parsed before it.
func parseTags(line string) (tags map[string]string) {
	tags = make(map[string]string)
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	rest := line[len("TAGS "):]
	for rest != "" {
		i := strings.IndexByte(rest, '=')
		j := strings.IndexByte(rest, ',')
		if j < 0 {
			j = len(rest)
		}
		tags[rest[:i]] = rest[i+1 : j]
		rest = strings.TrimPrefix(rest[j:], ",")
	}
	return tags
}

// Mirror copies what the client sends on conn to w (the debug tap) until
// the client disconnects or ctx ends.
func (r *Receiver) Mirror(ctx context.Context, conn net.Conn, w io.Writer) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(w, conn)
	}()
	defer func() { <-done }() // HAZ defer-blocking-call
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-done:
		return nil
	}
}
