// Command fahproxy is a stateless query proxy in front of one fahdb server.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"time"

	"example.com/fah23/fahdb"
	"example.com/fah23/pool"
	"example.com/fah23/proxy"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:6544", "listen address")
	upstream := flag.String("upstream", "fahdb://proxy@127.0.0.1:5544/main", "upstream DSN")
	maxConns := flag.Int("max-conns", 32, "upstream connections")
	flag.Parse()

	cfg, err := fahdb.ParseDSN(*upstream)
	if err != nil {
		log.Fatalf("fahproxy: %v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("fahproxy: %v", err)
	}
	defer ln.Close()

	p := pool.New(dialer(cfg), pool.Options{MaxOpen: *maxConns, MaxIdleTime: 5 * time.Minute, Logf: log.Printf})
	defer p.Close()

	px := proxy.New(p, 15*time.Second)
	log.Printf("fahproxy: listening on %s, upstream %s", ln.Addr(), cfg.Addr)
	if err := px.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("fahproxy: serve: %v", err)
	}
}

// dialer adapts fahdb.Dial to the pool, never returning a typed nil.
func dialer(cfg *fahdb.Config) pool.Dialer {
	var d net.Dialer
	return func(ctx context.Context) (pool.Conn, error) {
		c, err := fahdb.Dial(ctx, cfg, &d)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}
