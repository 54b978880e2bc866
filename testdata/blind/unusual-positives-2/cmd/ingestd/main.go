// Command ingestd consumes the ingest queue and tails rotated logs.
package main

import (
	"flag"
	"log"
	"os"
	"time"

	"example.com/unusualpositives2/internal/stream"
	"example.com/unusualpositives2/internal/trace"
)

func process(m stream.Msg) error {
	if len(m.Body) == 0 {
		return nil
	}
	_, err := os.Stdout.Write(append(m.Body, '\n'))
	return err
}

func flushStats(rec *trace.Recorder) {
	rec.Snapshot().Report()
}

func main() {
	every := flag.Duration("poll", 30*time.Second, "health poll interval")
	flag.Parse()
	logger := log.New(os.Stderr, "ingestd ", log.LstdFlags)
	rec := trace.NewRecorder(os.Stderr)
	defer flushStats(rec)

	commit := func(off int64) error {
		logger.Printf("commit offset %d", off)
		return nil
	}
	c := stream.NewConsumer(256, commit, process, rec, logger)
	go c.LoopSpans()

	p := stream.NewPoller(*every, func(string) error { return nil }, logger, "queue")
	go p.RunContext(nilContext())

	logger.Printf("ingestd running")
	select {} // HAZ signal-skips-defer
}
