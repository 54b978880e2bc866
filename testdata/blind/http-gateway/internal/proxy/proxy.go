package proxy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"example.com/gateway/internal/obs"
)

// Options tune a Proxy.
type Options struct {
	Retries    int
	Timeout    time.Duration
	HedgeDelay time.Duration
	MaxBody    int64
	Logger     *log.Logger
}

// Proxy forwards requests to the backends of a pool.
type Proxy struct {
	pool      *Pool
	transport http.RoundTripper
	opts      Options
	attempts  *obs.Counter
}

// New returns a proxy over pool using transport (http.DefaultTransport if nil).
func New(pool *Pool, transport http.RoundTripper, opts Options) *Proxy {
	if transport == nil {
		transport = http.DefaultTransport
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	return &Proxy{pool: pool, transport: transport, opts: opts, attempts: obs.NewCounter()}
}

var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

func removeHopHeaders(h http.Header) {
	for _, f := range h["Connection"] {
		for _, name := range strings.Split(f, ",") {
			h.Del(strings.TrimSpace(name))
		}
	}
	for _, name := range hopHeaders {
		h.Del(name)
	}
}

func copyHeader(dst, src http.Header) {
	for k, vv := range src {
		for _, v := range vv {
			dst.Add(k, v)
		}
	}
}

func singleJoin(a, b string) string {
	switch aslash, bslash := strings.HasSuffix(a, "/"), strings.HasPrefix(b, "/"); {
	case aslash && bslash:
		return a + b[1:]
	case !aslash && !bslash:
		return a + "/" + b
	}
	return a + b
}

// readBody buffers the request body so it can be replayed on retries.
func readBody(r *http.Request, max int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	defer r.Body.Close()
	b, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errors.New("request body too large")
	}
	return b, nil
}

// outbound builds the request sent to b for the client request r.
func (p *Proxy) outbound(ctx context.Context, r *http.Request, b *Backend, body []byte) *http.Request {
	out := r.Clone(ctx)
	out.RequestURI = ""
	out.URL.Scheme = b.URL.Scheme
	out.URL.Host = b.URL.Host
	out.URL.Path = singleJoin(b.URL.Path, r.URL.Path)
	out.Host = b.URL.Host
	removeHopHeaders(out.Header)
	out.Body, out.ContentLength = nil, 0
	if body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.ContentLength = int64(len(body))
	}
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if prior := out.Header.Get("X-Forwarded-For"); prior != "" {
			ip = prior + ", " + ip
		}
		out.Header.Set("X-Forwarded-For", ip)
	}
	return out
}

// ServeHTTP proxies r to a healthy backend, retrying idempotent requests.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, p.opts.MaxBody)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), p.opts.Timeout)
	defer cancel()

	resp, err := p.forward(ctx, r, body)
	if err != nil {
		p.opts.Logger.Printf("proxy %s %s: %v", r.Method, r.URL.Path, err)
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	removeHopHeaders(resp.Header)
	copyHeader(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		p.opts.Logger.Printf("proxy %s: copy response: %v", r.URL.Path, err)
	}
}

// ServeHedged serves read-only requests with a hedged second attempt.
func (p *Proxy) ServeHedged(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		p.ServeHTTP(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), p.opts.Timeout)
	defer cancel()
	resp, err := p.hedged(ctx, r)
	if err != nil {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	copyHeader(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// Probe passes an operator's HEAD probe straight to one named backend and
// reports its status line in a header.
func (p *Proxy) Probe(w http.ResponseWriter, r *http.Request) {
	b, ok := p.pool.Get(r.URL.Query().Get("backend"))
	if !ok {
		http.Error(w, "unknown backend", http.StatusNotFound)
		return
	}
	req := p.outbound(r.Context(), r, b, nil)
	req.Method = http.MethodHead
	resp, err := p.transport.RoundTrip(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("X-Backend-Status", resp.Status)
	w.WriteHeader(http.StatusNoContent)
}

// ServeMirrored proxies r and also replays it to a shadow backend for
// comparison. Panics in the comparison code must not take down the request.
func (p *Proxy) ServeMirrored(shadow *Backend) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				p.opts.Logger.Printf("mirror %s: recovered: %v", r.URL.Path, rec)
			}
		}()
		body, err := readBody(r, p.opts.MaxBody)
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		go p.shadowSend(shadow, r, body) // HAZ goroutine-outside-recover
		resp, err := p.forward(r.Context(), r, body)
		if err != nil {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		copyHeader(w.Header(), resp.Header)
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}
}

// shadowSend replays a request to the shadow backend and discards the answer.
func (p *Proxy) shadowSend(shadow *Backend, r *http.Request, body []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.Timeout)
	defer cancel()
	resp, err := p.transport.RoundTrip(p.outbound(ctx, r, shadow, body))
	if err != nil {
		p.opts.Logger.Printf("shadow %s: %v", shadow.Name, err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}
