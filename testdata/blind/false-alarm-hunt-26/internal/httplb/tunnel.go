package httplb

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"example.com/fah26/internal/backend"
)

// Tunnel implements HTTP CONNECT for clients that must reach internal
// services through the balancer.
type Tunnel struct {
	Allowed     func(hostport string) bool
	DialTimeout time.Duration
	Logger      *log.Logger
}

// ServeHTTP implements CONNECT.
func (t *Tunnel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			t.Logger.Printf("tunnel: panic for %s: %v", r.Host, rec)
		}
	}()
	if r.Method != http.MethodConnect {
		http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
		return
	}
	if t.Allowed != nil && !t.Allowed(r.Host) {
		http.Error(w, "destination not allowed", http.StatusForbidden)
		return
	}
	upstream, err := net.DialTimeout("tcp", r.Host, t.DialTimeout)
	if err != nil {
		http.Error(w, "cannot reach "+r.Host, http.StatusBadGateway)
		return
	}
	defer upstream.Close()
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "hijacking not supported", http.StatusInternalServerError)
		return
	}
	client, _, err := hj.Hijack()
	if err != nil {
		return
	}
	defer client.Close()
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}

	errc := make(chan error, 2)
	go func() { // HAZ goroutine-outside-recover
		_, err := io.Copy(upstream, client)
		errc <- err
	}()
	go func() { // HAZ goroutine-outside-recover
		_, err := io.Copy(client, upstream)
		errc <- err
	}()
	<-errc
}

// UpgradeProxy forwards "Connection: Upgrade" requests (WebSocket and the
// like) to a backend and splices the two connections.
type UpgradeProxy struct {
	Pool        *backend.Pool
	DialTimeout time.Duration
	Logger      *log.Logger
}

// ServeHTTP implements the upgrade splice. Both copy goroutines carry their
// own recover; the handler's recover only covers the handler goroutine.
func (u *UpgradeProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer u.recoverRequest(r)
	b, err := u.Pool.Pick()
	if err != nil {
		http.Error(w, "no healthy backend", http.StatusServiceUnavailable)
		return
	}
	upstream, err := b.Dial(u.DialTimeout)
	if err != nil {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	defer upstream.Close()
	if err := r.Write(upstream); err != nil {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "hijacking not supported", http.StatusInternalServerError)
		return
	}
	client, brw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer client.Close()

	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer sendPanic(errc)
		_, err := io.Copy(upstream, brw)
		errc <- err
	}()
	go func() {
		defer wg.Done()
		defer sendPanic(errc)
		_, err := io.Copy(client, upstream)
		errc <- err
	}()
	if err := <-errc; err != nil {
		u.Logger.Printf("upgrade: %s via %s: %v", r.URL.Path, b.Name, err)
	}
	// unblock the other direction, then join it
	client.Close()
	upstream.Close()
	wg.Wait()
}

// recoverRequest is deferred directly by UpgradeProxy.ServeHTTP.
func (u *UpgradeProxy) recoverRequest(r *http.Request) {
	if rec := recover(); rec != nil {
		if rec == http.ErrAbortHandler {
			panic(rec)
		}
		u.Logger.Printf("upgrade: panic serving %s: %v", r.URL.Path, rec)
	}
}

// sendPanic reports a copy goroutine's panic as its result. The channel has
// room for both goroutines; the select keeps the deferred send from ever
// blocking.
func sendPanic(errc chan<- error) {
	if rec := recover(); rec != nil {
		select {
		case errc <- fmt.Errorf("panic: %v", rec):
		default:
		}
	}
}
