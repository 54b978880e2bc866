// Command orderd runs the order service: HTTP API, file persistence and
// webhook notifications.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/testsuites/api"
	"example.com/testsuites/clock"
	"example.com/testsuites/notify"
	"example.com/testsuites/order"
	"example.com/testsuites/store"
)

// openStores loads the data directory into a fresh in-memory repository and
// persists every later change back to it.
func openStores(dir string) (*store.FileStore, *store.Memory, error) {
	files, err := store.OpenFileStore(dir)
	if err != nil {
		return nil, nil, err
	}
	orders, err := files.LoadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("loading %s: %w", dir, err)
	}
	mem := store.NewMemory(clock.Real{})
	mem.Restore(orders)
	mem.OnChange(func(o order.Order) {
		if err := files.Save(o); err != nil {
			log.Printf("persist %s: %v", o.ID, err)
		}
	})
	return files, mem, nil
}

func main() {
	dir := flag.String("dir", "data", "directory holding the order files")
	hook := flag.String("hook", "", "webhook URL for order events (optional)")
	flag.Parse()

	cfg, err := api.ConfigFromEnv()
	if err != nil {
		log.Fatalf("orderd: %v", err)
	}
	files, mem, err := openStores(*dir)
	if err != nil {
		log.Fatalf("orderd: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := files.MarkClean(mem.Len()); err != nil {
			log.Printf("orderd: mark clean: %v", err)
		}
	}()

	var pub api.Publisher
	if *hook != "" {
		pub = notify.New(*hook)
	}
	srv := api.NewServer(mem, pub, cfg, log.Default())
	go srv.ForwardEvents(ctx)
	log.Printf("orderd: %d orders loaded, listening on %s", mem.Len(), cfg.Addr)
	if err := srv.Run(ctx, cfg.Addr); err != nil {
		log.Printf("orderd: %v", err)
	}
}
