// Command streamtail follows the change feed and prints events as they arrive.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"

	"example.com/sdk/stream"
)

func loadCheckpoint(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n
}

func saveCheckpoint(path string, w *stream.Watcher) {
	if err := os.WriteFile(path, []byte(strconv.FormatInt(w.Last(), 10)), 0o644); err != nil {
		log.Printf("checkpoint: %v", err)
	}
}

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8080/changes", "change feed URL")
	ckpt := flag.String("checkpoint", ".streamtail", "checkpoint file")
	flag.Parse()

	var seen atomic.Int64
	w := &stream.Watcher{
		HC:  &http.Client{},
		URL: *endpoint,
		Handler: func(ev stream.Event) {
			seen.Add(1)
			fmt.Printf("%d %s %s\n", ev.Seq, ev.Type, ev.Data)
		},
	}
	if start := loadCheckpoint(*ckpt); start > 0 {
		log.Printf("resuming after %d", start)
	}
	defer saveCheckpoint(*ckpt, w)
	defer func() { log.Printf("%d events", seen.Load()) }()

	w.Start()
	select {} // HAZ signal-skips-defer
}
