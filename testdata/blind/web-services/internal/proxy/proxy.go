package proxy

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"time"
)

type backendKey struct{}

// Handler returns the reverse proxy.
func (p *Pool) Handler() http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			b := pr.In.Context().Value(backendKey{}).(*Backend)
			pr.SetURL(b.URL)
			pr.SetXForwarded()
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if b, ok := r.Context().Value(backendKey{}).(*Backend); ok && !errors.Is(err, context.Canceled) {
				b.markFailed(p.FailThreshold)
			}
			p.Logger.Printf("proxy: %s %s: %v", r.Method, r.URL.Path, err)
			http.Error(w, "bad gateway", http.StatusBadGateway)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := p.Pick()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), backendKey{}, b)))
	})
}

// TunnelHandler splices a hijacked client connection to a backend (CONNECT
// style).
func (p *Pool) TunnelHandler(timeout time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := p.Pick()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		upstream, err := net.DialTimeout("tcp", b.URL.Host, timeout)
		if err != nil {
			b.markFailed(p.FailThreshold)
			http.Error(w, "upstream unreachable", http.StatusBadGateway)
			return
		}
		defer upstream.Close() // ok: plain Close after the error check
		client, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, "hijack unsupported", http.StatusInternalServerError)
			return
		}
		defer client.Close()
		client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		errc := make(chan error, 2) // ok: room for both copiers
		go func() { _, err := io.Copy(upstream, client); errc <- err }()
		go func() { _, err := io.Copy(client, upstream); errc <- err }()
		<-errc
	}
}

// Forward copies one request line to a backend and relays the reply; used
// by the legacy line protocol.
func (p *Pool) Forward(addr string, line []byte, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(append(line, '\n')); err != nil {
		return nil, err
	}
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	if err != nil && n == 0 {
		return nil, err
	}
	return buf[:n], nil
}

// Relay is Forward for a list of addresses, using the first that answers.
func (p *Pool) Relay(addrs []string, line []byte, timeout time.Duration) ([]byte, error) {
	var errs []error
	for _, a := range addrs {
		out, err := p.forwardClosed(a, line, timeout)
		if err == nil {
			return out, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func (p *Pool) forwardClosed(addr string, line []byte, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		return conn.Close()
	}()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(append(line, '\n')); err != nil {
		return nil, err
	}
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	if err != nil && n == 0 {
		return nil, err
	}
	return buf[:n], nil
}
