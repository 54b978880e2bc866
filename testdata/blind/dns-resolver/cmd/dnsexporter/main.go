// Command dnsexporter re-exports dnsd's admin metrics on a TCP port for
// Prometheus, so that the admin socket itself never leaves the host.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type proxy struct {
	client   *http.Client
	target   string
	scrapes  atomic.Int64
	failures atomic.Int64
}

func newProxy(admin string) *proxy {
	p := &proxy{client: &http.Client{Timeout: 5 * time.Second}, target: strings.TrimSuffix(admin, "/") + "/metrics"}
	if path, ok := strings.CutPrefix(admin, "unix:"); ok {
		p.target = "http://dnsd/metrics"
		p.client.Transport = &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", path)
			},
		}
	}
	return p
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.scrapes.Add(1)
	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.target, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := p.client.Do(req)
	if err != nil {
		p.failures.Add(1)
		http.Error(w, "dnsd unreachable: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		p.failures.Add(1)
		return
	}
	fmt.Fprintf(w, "dnsexporter_scrapes_total %d\ndnsexporter_failures_total %d\n", p.scrapes.Load(), p.failures.Load())
}

func main() {
	listen := flag.String("listen", ":9153", "address to serve /metrics on")
	admin := flag.String("admin", "unix:/run/dnsd/admin.sock", "dnsd admin endpoint")
	pidFile := flag.String("pidfile", "/run/dnsexporter.pid", "PID file")
	flag.Parse()

	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("dnsexporter: %v", err)
	}
	defer os.Remove(*pidFile)

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", newProxy(*admin))
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("dnsexporter: serving %s on %s", *admin, *listen)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("dnsexporter: %v", err)
	}
}
