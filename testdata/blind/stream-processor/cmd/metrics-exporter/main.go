// Command metrics-exporter serves the DLQ and checkpoint statistics of a
// streamd data directory over HTTP.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"example.com/streamproc/internal/checkpoint"
	"example.com/streamproc/internal/dlq"
	"example.com/streamproc/internal/metrics"
)

type exporter struct {
	dataDir string
	reg     *metrics.Registry
}

func (e *exporter) refresh() error {
	n, err := dlq.CountEntries(e.dataDir + "/dlq")
	if err != nil {
		return err
	}
	e.reg.SetGauge("dlq_entries", float64(n))
	st, err := checkpoint.LoadLatest(e.dataDir + "/checkpoints")
	if err != nil {
		return err
	}
	e.reg.SetGauge("checkpoint_age_seconds", time.Since(st.Taken).Seconds())
	return nil
}

func (e *exporter) serveMetrics(w http.ResponseWriter, r *http.Request) {
	defer e.reg.Inc("scrapes", 1)
	if err := e.refresh(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := e.reg.WriteGauges(w); err != nil {
		log.Printf("write metrics: %v", err)
	}
}

func main() {
	addr := flag.String("listen", ":9465", "listen address")
	dir := flag.String("data", "./data", "streamd data directory")
	textfile := flag.String("textfile", "", "also dump counters to this file on exit")
	flag.Parse()

	e := &exporter{dataDir: *dir, reg: metrics.NewRegistry()}
	if *textfile != "" {
		defer func() {
			if err := e.reg.DumpFileAtomic(*textfile); err != nil {
				log.Printf("dump %s: %v", *textfile, err)
			}
		}()
	}
	http.HandleFunc("/metrics", e.serveMetrics)
	fmt.Printf("serving %s on %s\n", *dir, *addr)
	if err := http.ListenAndServe(*addr, nil); err != nil { // HAZ signal-skips-defer
		log.Printf("listen: %v", err)
	}
}
