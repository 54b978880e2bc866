// Command up15mirror mirrors a list of origin paths into a store once and
// exits; SIGINT/SIGTERM stop it between downloads.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up15/internal/blob"
	"example.com/up15/internal/fetch"
)

func feed(ctx context.Context, paths []string) <-chan string {
	q := make(chan string)
	go func() {
		defer close(q)
		for _, p := range paths {
			select {
			case q <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	return q
}

func main() {
	origin := flag.String("origin", "http://origin.internal", "origin base URL")
	root := flag.String("root", "/var/lib/up15", "store root")
	flag.Parse()
	lg := log.New(os.Stderr, "up15mirror: ", log.LstdFlags)
	st, err := blob.NewStore(*root, nil)
	if err != nil {
		log.Fatalf("open store: %v", err)
	}

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigc)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	c := fetch.NewClient(*origin, 30*time.Second, lg)
	errc := make(chan error, 1)
	go func() { errc <- c.DrainQueueEach(ctx, feed(ctx, flag.Args()), st) }()
	select {
	case s := <-sigc:
		lg.Printf("%v: stopping", s)
		cancel()
		<-errc
	case err := <-errc:
		if err != nil {
			lg.Printf("mirror: %v", err)
		}
	}
	c.Wait()
}
