// Package tlsfwd terminates TLS and forwards the plaintext to a backend
// chosen by SNI, optionally re-encrypting towards the backend.
package tlsfwd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Forwarder is a TLS-terminating TCP proxy.
type Forwarder struct {
	DefaultBackend   string
	DialTimeout      time.Duration
	HandshakeTimeout time.Duration
	IdleTimeout      time.Duration
	// BackendTLS, when set, makes the forwarder speak TLS to backends.
	BackendTLS *tls.Config
	Logf       func(string, ...any)

	certFile, keyFile string

	mu     sync.RWMutex
	cert   *tls.Certificate
	routes map[string]string

	active   atomic.Int64
	bytesUp  atomic.Int64
	bytesDwn atomic.Int64
	wg       sync.WaitGroup
}

// New loads the certificate and returns a forwarder.
func New(defaultBackend, certFile, keyFile string) (*Forwarder, error) {
	f := &Forwarder{
		DefaultBackend:   defaultBackend,
		DialTimeout:      5 * time.Second,
		HandshakeTimeout: 10 * time.Second,
		IdleTimeout:      5 * time.Minute,
		Logf:             log.Printf,
		certFile:         certFile,
		keyFile:          keyFile,
		routes:           make(map[string]string),
	}
	if err := f.Reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// Reload re-reads the certificate files; connections already established
// keep the old certificate.
func (f *Forwarder) Reload() error {
	cert, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
	if err != nil {
		return fmt.Errorf("tlsfwd: load certificate: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cert = &cert
	return nil
}

func (f *Forwarder) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.cert == nil {
		return nil, errors.New("tlsfwd: no certificate loaded")
	}
	return f.cert, nil
}

// SetRoute sends connections for serverName to backend.
func (f *Forwarder) SetRoute(serverName, backend string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[serverName] = backend
}

func (f *Forwarder) route(serverName string) string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if b, ok := f.routes[serverName]; ok {
		return b
	}
	return f.DefaultBackend
}

// TLSConfig is the listener-side configuration.
func (f *Forwarder) TLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: f.getCertificate,
	}
}

// Active returns the number of connections being forwarded.
func (f *Forwarder) Active() int64 { return f.active.Load() }

// Serve accepts TLS connections on ln until ctx is cancelled.
func (f *Forwarder) Serve(ctx context.Context, ln net.Listener) error {
	tln := tls.NewListener(ln, f.TLSConfig())
	stop := context.AfterFunc(ctx, func() { _ = tln.Close() })
	defer stop()
	for {
		conn, err := tln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		f.wg.Add(1)
		go f.handle(ctx, conn.(*tls.Conn))
	}
}

// Wait blocks until every forwarded connection has finished or ctx ends.
func (f *Forwarder) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		f.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *Forwarder) handle(ctx context.Context, client *tls.Conn) {
	defer f.wg.Done()
	defer client.Close()
	f.active.Add(1)
	defer f.active.Add(-1)

	hctx, cancel := context.WithTimeout(ctx, f.HandshakeTimeout)
	err := client.HandshakeContext(hctx)
	cancel()
	if err != nil {
		f.Logf("tlsfwd: handshake from %s: %v", client.RemoteAddr(), err)
		return
	}

	backendAddr := f.route(client.ConnectionState().ServerName)
	backend, err := f.dialBackend(ctx, backendAddr)
	defer backend.Close() // HAZ defer-before-error-check
	if err != nil {
		f.Logf("tlsfwd: dial %s: %v", backendAddr, err)
		return
	}
	up, down := f.pipe(client, backend)
	f.bytesUp.Add(up)
	f.bytesDwn.Add(down)
}

func (f *Forwarder) dialBackend(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: f.DialTimeout, KeepAlive: 30 * time.Second}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if f.BackendTLS == nil {
		return raw, nil
	}
	cfg := f.BackendTLS.Clone()
	if cfg.ServerName == "" {
		host, _, _ := net.SplitHostPort(addr)
		cfg.ServerName = host
	}
	tc := tls.Client(raw, cfg)
	hctx, cancel := context.WithTimeout(ctx, f.HandshakeTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		_ = raw.Close()
		return nil, err
	}
	return tc, nil
}

type halfResult struct {
	up  bool
	n   int64
	err error
}

// pipe copies in both directions until both halves are done. When the first
// half finishes, the other one gets IdleTimeout to drain.
func (f *Forwarder) pipe(client, backend net.Conn) (up, down int64) {
	ch := make(chan halfResult, 2)
	go func() {
		n, err := f.copyHalf(backend, client)
		ch <- halfResult{up: true, n: n, err: err}
	}()
	go func() {
		n, err := f.copyHalf(client, backend)
		ch <- halfResult{up: false, n: n, err: err}
	}()
	for i := 0; i < 2; i++ {
		r := <-ch
		if r.up {
			up = r.n
		} else {
			down = r.n
		}
		if r.err != nil && !errors.Is(r.err, net.ErrClosed) {
			f.Logf("tlsfwd: copy: %v", r.err)
		}
		if i == 0 {
			deadline := time.Now().Add(f.IdleTimeout)
			_ = client.SetDeadline(deadline)
			_ = backend.SetDeadline(deadline)
		}
	}
	return up, down
}

func closeWrite(c net.Conn) error {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Close()
}

// copyHalf copies src to dst and then half-closes dst so the peer sees EOF.
func (f *Forwarder) copyHalf(dst, src net.Conn) (int64, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if cerr := closeWrite(dst); cerr != nil && err == nil {
			err = cerr
		}
	}()
	n, err := io.Copy(dst, src)
	return n, err
}

// copyHalfNamed is copyHalf with named results, so the close error reaches
// the caller.
func copyHalfNamed(dst, src net.Conn) (n int64, err error) {
	defer func() {
		if cerr := closeWrite(dst); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return io.Copy(dst, src)
}

// Probe checks that the default backend completes a TLS handshake and
// answers a PING line.
func (f *Forwarder) Probe(ctx context.Context) error {
	if f.BackendTLS == nil {
		return f.probePlain(ctx)
	}
	d := net.Dialer{Timeout: f.DialTimeout}
	raw, err := d.DialContext(ctx, "tcp", f.DefaultBackend)
	if err != nil {
		return err
	}
	tc := tls.Client(raw, f.BackendTLS.Clone())
	defer tc.Close()
	defer raw.Close() // HAZ defer-order-inverted
	if err := tc.HandshakeContext(ctx); err != nil {
		return err
	}
	_ = tc.SetDeadline(time.Now().Add(f.DialTimeout))
	if _, err := io.WriteString(tc, "PING\r\n"); err != nil {
		return err
	}
	buf := make([]byte, 64)
	_, err = tc.Read(buf)
	return err
}

func (f *Forwarder) probePlain(ctx context.Context) error {
	d := net.Dialer{Timeout: f.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", f.DefaultBackend)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(f.DialTimeout))
	if _, err := io.WriteString(conn, "PING\r\n"); err != nil {
		return err
	}
	buf := make([]byte, 64)
	_, err = conn.Read(buf)
	return err
}

// Relay forwards one already-accepted plaintext connection to addr; used by
// tests and by the health endpoint. Errors from either direction's close are
// reported.
func Relay(client net.Conn, addr string, timeout time.Duration) error {
	backend, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer backend.Close()
	errc := make(chan error, 2)
	go func() {
		_, err := copyHalfNamed(backend, client)
		errc <- err
	}()
	_, err = copyHalfNamed(client, backend)
	return errors.Join(err, <-errc)
}
