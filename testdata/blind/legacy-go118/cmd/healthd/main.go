// Command healthd probes the configured peers and serves their status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/legacy118/internal/fsutil"
	"example.com/legacy118/internal/service"
)

func main() {
	if err := run(); err != nil {
		log.Printf("healthd: %v", err)
		os.Exit(1) // ok: main defers nothing
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

type peers struct {
	mu    sync.RWMutex
	alive map[string]bool
}

func (p *peers) set(addr string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.alive[addr] = ok
}

func (p *peers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for addr, ok := range p.alive {
		fmt.Fprintf(w, "%s %v\n", addr, ok)
	}
}

func dialAlive(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func (p *peers) probeLoop(ctx context.Context, addrs []string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		var wg sync.WaitGroup
		for _, a := range addrs {
			wg.Add(1)
			go func(a string) {
				defer wg.Done()
				p.set(a, dialAlive(a))
			}(a)
		}
		wg.Wait()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func run() error {
	addr := flag.String("addr", ":8082", "listen address")
	cfgPath := flag.String("config", "/etc/healthd.json", "config file")
	flag.Parse()

	cfg, err := fsutil.LoadConfigGuarded(*cfgPath, true)
	must(err) // ok: nothing deferred yet
	if len(cfg.Plugins) == 0 {
		return errors.New("no peers configured")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	p := &peers{alive: make(map[string]bool)}
	go p.probeLoop(ctx, cfg.Plugins, 10*time.Second)

	srv := &http.Server{Addr: *addr, Handler: p}
	return service.ServeUntil(ctx, srv)
}
