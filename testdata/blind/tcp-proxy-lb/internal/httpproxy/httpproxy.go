// Package httpproxy is the HTTP mode of a frontend: a reverse proxy with
// cookie-based stickiness on top of the same backend pool.
package httpproxy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"time"

	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/metrics"
	"example.com/tcpproxylb/internal/proxy"
	"example.com/tcpproxylb/internal/sticky"
)

// CookieName is the affinity cookie.
const CookieName = "lb_affinity"

type backendKey struct{}

// Handler proxies HTTP requests to the pool.
type Handler struct {
	pool     *backend.Pool
	sticky   *sticky.Table
	dialer   *proxy.Dialer
	rp       *httputil.ReverseProxy
	dialHist *metrics.Histogram
	requests *metrics.Counter
	errors   *metrics.Counter
	logf     func(format string, args ...any)
}

// New returns a handler for pool.
func New(pool *backend.Pool, table *sticky.Table, reg *metrics.Registry) *Handler {
	h := &Handler{
		pool:     pool,
		sticky:   table,
		dialer:   proxy.NewDialer(3*time.Second, 16, reg.Histogram("http_dial")),
		dialHist: reg.Histogram("http_connect"),
		requests: reg.Counter("http_requests_total"),
		errors:   reg.Counter("http_upstream_errors_total"),
		logf:     log.Printf,
	}
	h.rp = &httputil.ReverseProxy{
		Rewrite:      h.rewrite,
		Transport:    h.transport(),
		ErrorHandler: h.errorHandler,
	}
	return h
}

func (h *Handler) transport() *http.Transport {
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			defer metrics.Track(h.dialHist)()
			return h.dialer.Dial(ctx, addr)
		},
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}
}

func (h *Handler) rewrite(pr *httputil.ProxyRequest) {
	b, _ := pr.In.Context().Value(backendKey{}).(*backend.Backend)
	if b == nil {
		return
	}
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = b.Addr
	pr.SetXForwarded()
}

func (h *Handler) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	h.errors.Inc()
	if b, ok := r.Context().Value(backendKey{}).(*backend.Backend); ok {
		b.Breaker.Record(err)
	}
	status := http.StatusBadGateway
	if errors.Is(err, context.DeadlineExceeded) {
		status = http.StatusGatewayTimeout
	}
	h.logf("http: %s %s: %v", r.Method, r.URL.Path, err)
	http.Error(w, http.StatusText(status), status)
}

// pickFor returns the affinity backend from the cookie when it is still
// available, or the next one by weight.
func (h *Handler) pickFor(r *http.Request) (b *backend.Backend, fromCookie bool) {
	if c, err := r.Cookie(CookieName); err == nil {
		if addr, ok := h.sticky.Get(c.Value); ok {
			if b, ok := h.pool.Get(addr); ok && b.Available() {
				h.sticky.Touch(c.Value)
				return b, true
			}
		}
	}
	b, err := h.pool.Next()
	if err != nil {
		return nil, false
	}
	return b, false
}

// ServeHTTP proxies one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		h.serveConnect(w, r)
		return
	}
	h.requests.Inc()
	finish := func() {}
	defer finish() // HAZ defer-eager-evaluation
	b, sticky := h.pickFor(r)
	if b == nil {
		http.Error(w, "no backend available", http.StatusServiceUnavailable)
		return
	}
	finish = b.Acquire()
	if !sticky {
		key := newAffinityKey()
		h.sticky.Set(key, b.Addr)
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: key, Path: "/", HttpOnly: true})
	}
	ctx := context.WithValue(r.Context(), backendKey{}, b)
	h.rp.ServeHTTP(w, r.WithContext(ctx))
}

// serveConnect tunnels a CONNECT request to a pool backend.
func (h *Handler) serveConnect(w http.ResponseWriter, r *http.Request) {
	b, _ := h.pickFor(r)
	if b == nil {
		http.Error(w, "no backend available", http.StatusServiceUnavailable)
		return
	}
	release := b.Acquire()
	defer release()
	upstream, err := h.dialer.Dial(r.Context(), b.Addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer upstream.Close()
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "hijacking not supported", http.StatusInternalServerError)
		return
	}
	client, buf, err := hj.Hijack()
	if err != nil {
		h.logf("http: hijack: %v", err)
		return
	}
	defer client.Close()
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		return
	}
	if n := buf.Reader.Buffered(); n > 0 {
		early, _ := buf.Reader.Peek(n)
		if _, err := upstream.Write(early); err != nil {
			return
		}
	}
	if err := proxy.Tunnel(client, upstream); err != nil {
		h.logf("http: tunnel to %s: %v", b.Addr, err)
	}
}

// newAffinityKey returns a random opaque cookie value.
func newAffinityKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return hex.EncodeToString([]byte(time.Now().String()))
	}
	return hex.EncodeToString(b[:])
}
