// Command dohgw exposes an upstream pool over DNS-over-HTTP only, for
// clients that cannot reach port 53.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
	"example.com/dnsproxy/internal/doh"
	"example.com/dnsproxy/internal/metrics"
	"example.com/dnsproxy/internal/querylog"
	"example.com/dnsproxy/internal/upstream"
)

func main() {
	listen := flag.String("listen", ":8053", "HTTP listen address")
	upstreams := flag.String("upstreams", "9.9.9.9:53,1.1.1.1:53", "comma-separated upstreams")
	logDir := flag.String("querylog", "/var/log/dohgw", "query log directory")
	flag.Parse()

	rot, err := querylog.NewRotator(*logDir, "doh", 64<<20, 10)
	if err != nil {
		log.Fatalf("querylog: %v", err)
	}
	ql := querylog.NewLogger(rot, 1024)
	defer func() {
		if err := ql.Close(); err != nil {
			log.Printf("querylog: %v", err)
		}
	}()

	pool := newPool(*upstreams)
	pool.Start()
	defer pool.Stop()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := metrics.NewRegistry()
	h := doh.NewHandler(resolver(pool, ql), reg, 3*time.Second)
	h.Start(ctx)

	mux := http.NewServeMux()
	mux.Handle("/dns-query", h)
	mux.Handle("/metrics", reg.Handler())
	srv := &http.Server{Addr: *listen, Handler: withLogging(mux), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("dohgw: listening on %s", *listen)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("dohgw: %v", err)
	}
}

func newPool(list string) *upstream.Pool {
	var ups []*upstream.Upstream
	for _, addr := range strings.Split(list, ",") {
		if addr = strings.TrimSpace(addr); addr != "" {
			ups = append(ups, upstream.New(addr, "udp", 2*time.Second))
		}
	}
	return upstream.NewPool(ups, 15*time.Second, 2*time.Second)
}

// resolver forwards to the pool and logs every query.
func resolver(pool *upstream.Pool, ql *querylog.Logger) doh.ResolveFunc {
	return func(ctx context.Context, q []byte) ([]byte, error) {
		start := time.Now()
		resp, err := pool.Exchange(ctx, q)
		e := querylog.Entry{Time: start, Proto: "doh", Duration: time.Since(start), Rcode: dnsmsg.Rcode(resp)}
		if m, perr := dnsmsg.Parse(q); perr == nil {
			e.Name, e.Type = m.Questions[0].Name, m.Questions[0].Type
		}
		ql.Log(e)
		return resp, err
	}
}

// withLogging logs method, path and duration of every request.
func withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			log.Printf("%s %s %s", r.Method, r.URL.Path, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(w, r)
	})
}
