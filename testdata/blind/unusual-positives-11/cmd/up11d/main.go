// Command up11d serves cached items from the upstream item service.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/up11/internal/fetch"
	"example.com/up11/internal/pool"
)

// Item is the upstream's item document.
type Item struct {
	Key   string            `json:"key"`
	Attrs map[string]string `json:"attrs"`
}

type upstreamConn struct{ net.Conn }

func dialUpstream(addr string) func(context.Context) (*upstreamConn, error) {
	return func(ctx context.Context) (*upstreamConn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, err
		}
		return &upstreamConn{c}, nil
	}
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	upstream := flag.String("upstream", "http://127.0.0.1:9000", "item service base URL")
	audit := flag.String("audit", "", "audit endpoint")
	flag.Parse()
	logger := log.New(os.Stderr, "up11d ", log.LstdFlags|log.Lmsgprefix)

	conns := pool.New(dialUpstream(*upstream), pool.WithMaxIdle[*upstreamConn](16))
	defer func() {
		if err := conns.Close(); err != nil {
			logger.Printf("closing upstream pool: %v", err)
		}
	}()

	client := fetch.NewClient(*upstream, fetch.JSON[Item](), fetch.WithTimeout[Item](3*time.Second))
	srv := fetch.NewServer(client, logger, fetch.WithAudit[Item](*audit))
	mux := http.NewServeMux()
	srv.Routes(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, err := pool.With(r.Context(), conns, func(c *upstreamConn) (string, error) {
			return c.RemoteAddr().String(), nil
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	hs := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("listening on %s", *addr)
	if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
