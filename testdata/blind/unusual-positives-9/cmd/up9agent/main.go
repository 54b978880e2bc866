// Command up9agent is a read replica: it tails a primary's change stream and serves
// the blobs it has copied.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up9/internal/blob"
	"example.com/up9/internal/cache"
	"example.com/up9/internal/replica"
	"example.com/up9/internal/server"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	root := flag.String("root", "/var/lib/up9-replica", "blob directory")
	primary := flag.String("primary", "primary:8080", "primary node")
	flag.Parse()

	st, err := blob.Open(*root, blob.Hooks{})
	if err != nil {
		log.Fatalf("up9agent: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := st.Close(); err != nil {
			log.Printf("up9agent: writing manifest: %v", err)
		}
	}()
	c := cache.New(8, time.Minute)
	defer c.Close()

	rep := replica.New(st, []string{*primary}, 10*time.Second, log.Default())
	srv := &http.Server{Addr: *addr, Handler: server.New(st, c, nil, log.Default()), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("up9agent: serve: %v", err)
			stop()
		}
	}()
	go func() {
		err := rep.Tail(ctx, *primary, func(ch replica.Change) error { return apply(ctx, rep, st, *primary, ch) })
		if err != nil && ctx.Err() == nil {
			log.Printf("up9agent: tail: %v", err)
			stop()
		}
	}()

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("up9agent: shutdown: %v", err)
	}
}

// apply mirrors one change of the primary locally.
func apply(ctx context.Context, rep *replica.Replicator, st *blob.Store, primary string, ch replica.Change) error {
	switch ch.Op {
	case "put":
		return rep.Pull(ctx, primary, ch.Name)
	case "delete":
		return st.Delete(ch.Name)
	default:
		log.Printf("up9agent: ignoring change %q", ch.Op)
		return nil
	}
}
