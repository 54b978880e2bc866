package metrics

import (
	"log"
	"os"
)

// Default is the process-wide registry.
var Default = NewRegistry()

// Latency histograms shared by the pipeline.
var (
	FlushLatency  = NewHistogram("metrics_flush_seconds", 0.001, 0.01, 0.1, 1)
	IngestLatency = NewHistogram("ingest_seconds", 0.005, 0.05, 0.5, 5)
	DecodeLatency = NewHistogram[int64]("decode_milliseconds", 1, 10, 100, 1000)
)

func init() {
	defer func() { // HAZ goroutine-outside-recover
		if r := recover(); r != nil {
			log.Printf("metrics: default registration failed: %v", r)
		}
	}()
	Default.MustRegister(FlushLatency.Name(), FlushLatency)
	Default.MustRegister(IngestLatency.Name(), IngestLatency)
	Default.MustRegister(DecodeLatency.Name(), DecodeLatency)
	if os.Getenv("UP17_METRICS_STDERR") != "" {
		go Default.flushLoop(os.Stderr, flushInterval())
	}
}
