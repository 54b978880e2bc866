// Command gossipd runs a demo gossip node with a debug HTTP endpoint.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/gossip/gossip"
)

func main() {
	id := flag.String("id", "", "node id (required)")
	bind := flag.String("bind", "127.0.0.1:7946", "gossip bind address")
	seeds := flag.String("seeds", "", "comma-separated seed addresses")
	seedFile := flag.String("seed-file", "", "file with one seed address per line")
	debugAddr := flag.String("debug", "127.0.0.1:7947", "debug HTTP address")
	flag.Parse()

	if *id == "" {
		log.Fatal("gossipd: -id is required")
	}
	seedList := splitSeeds(*seeds)
	if *seedFile != "" {
		more, err := gossip.LoadSeedFile(*seedFile)
		if err != nil {
			log.Fatalf("gossipd: %v", err)
		}
		seedList = append(seedList, more...)
	}

	n, err := gossip.New(gossip.DefaultConfig(*id, *bind))
	if err != nil {
		log.Fatalf("gossipd: %v", err)
	}
	defer n.Stop()

	ctx, stop := shutdownContext()
	defer stop()

	n.Start()
	if joined, err := n.Join(ctx, seedList); err != nil {
		log.Printf("gossipd: join: %v (continuing alone)", err)
	} else {
		log.Printf("gossipd: joined via %d seeds", joined)
	}

	srv := &http.Server{Addr: *debugAddr, Handler: n.DebugHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("gossipd: debug server: %v", err)
		}
	}()

	<-ctx.Done()
	log.Printf("gossipd: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("gossipd: debug server shutdown: %v", err)
	}
	if err := n.Leave(shutdownCtx); err != nil {
		log.Printf("gossipd: leave: %v", err)
	}
}

// shutdownContext is cancelled on SIGINT or SIGTERM.
func shutdownContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func splitSeeds(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
