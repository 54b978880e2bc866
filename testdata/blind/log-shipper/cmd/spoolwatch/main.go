// Command spoolwatch prints the size of a spool directory at a fixed
// interval until it receives SIGTERM or SIGINT. It runs as a sidecar next
// to logshipd.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/logship/internal/spool"
)

func main() {
	dir := flag.String("spool", "/var/lib/logship/spool", "spool directory")
	every := flag.Duration("every", 30*time.Second, "report interval")
	flag.Parse()
	sp, err := spool.Open(*dir, 0)
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		report(sp)
		select {
		case <-ctx.Done():
			log.Print("spoolwatch: stopping")
			return
		case <-t.C:
		}
	}
}

// report prints one line: number of chunks, total bytes, oldest chunk age.
func report(sp *spool.Spool) {
	names, err := sp.List()
	if err != nil {
		log.Printf("spoolwatch: %v", err)
		return
	}
	var total int64
	var oldest time.Time
	for _, n := range names {
		info, err := os.Stat(sp.Path(n))
		if err != nil {
			continue
		}
		total += info.Size()
		if oldest.IsZero() || info.ModTime().Before(oldest) {
			oldest = info.ModTime()
		}
	}
	age := time.Duration(0)
	if !oldest.IsZero() {
		age = time.Since(oldest).Round(time.Second)
	}
	fmt.Printf("%s chunks=%d bytes=%d oldest=%s\n", time.Now().Format(time.RFC3339), len(names), total, age)
}
