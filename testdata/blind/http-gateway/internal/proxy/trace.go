package proxy

import (
	"errors"
	"hash/fnv"
	"io"
	"net/http"

	"example.com/gateway/internal/obs"
)

// sampled decides deterministically per request ID whether to trace.
func sampled(r *http.Request, percent uint32) bool {
	id := r.Header.Get("X-Request-ID")
	if id == "" {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()%100 < percent
}

// ServeTraced is ServeHTTP wrapped in a span carrying the outcome.
func (p *Proxy) ServeTraced(w http.ResponseWriter, r *http.Request) {
	ctx, span := obs.StartSpan(r.Context(), "proxy "+r.URL.Path)
	var err error
	defer span.End(err) // HAZ defer-eager-evaluation
	body, err := readBody(r, p.opts.MaxBody)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	resp, err := p.forward(ctx, r, body)
	if err != nil {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	span.SetAttr("status", resp.Status)
	copyHeader(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	_, err = io.Copy(w, resp.Body)
}

// ServeSampled traces a sample of requests.
func (p *Proxy) ServeSampled(w http.ResponseWriter, r *http.Request) {
	var finish func()
	if sampled(r, 5) {
		ctx, span := obs.StartSpan(r.Context(), "proxy.sampled")
		r = r.WithContext(ctx)
		finish = func() { span.End(nil) }
	}
	defer finish() // HAZ defer-nil-func
	p.ServeHTTP(w, r)
}

// ServeSpanned traces every request and records its outcome at exit.
func (p *Proxy) ServeSpanned(w http.ResponseWriter, r *http.Request) {
	ctx, span := obs.StartSpan(r.Context(), "proxy.spanned")
	var err error
	defer func() { span.End(err) }()
	resp, err := p.forward(ctx, r, nil)
	if err != nil {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		err = errors.New(resp.Status)
	}
	copyHeader(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}
