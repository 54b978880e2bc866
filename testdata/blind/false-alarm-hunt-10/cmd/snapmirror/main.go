// Command snapmirror mirrors the snapshot write-ahead log to a second disk.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah10/internal/replica"
)

func main() {
	src := flag.String("src", "", "log to mirror")
	dst := flag.String("dst", "", "mirror file")
	every := flag.Duration("every", time.Second, "poll interval")
	flag.Parse()
	if *src == "" || *dst == "" {
		flag.Usage()
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	out, err := os.OpenFile(*dst, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		log.Printf("snapmirror: %v", err)
		return
	}
	defer func() {
		if err := out.Close(); err != nil {
			log.Printf("snapmirror: close %s: %v", *dst, err)
		}
	}()

	m := replica.NewMirror(*src, out, *every, log.Default())
	if err := m.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("snapmirror: %v", err)
	}
	log.Printf("snapmirror: stopped at offset %d", m.Offset())
}
