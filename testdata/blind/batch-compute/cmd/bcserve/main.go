// Command bcserve publishes batch results, checkpoints and live progress over HTTP.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/batchcompute/internal/checkpoint"
	"example.com/batchcompute/internal/progress"
)

type config struct {
	ResultsDir    string `json:"results_dir"`
	CheckpointDir string `json:"checkpoint_dir"`
	Keep          int    `json:"keep"`
	QueryTimeout  string `json:"query_timeout"`
}

func defaultConfig() config {
	return config{ResultsDir: "out", CheckpointDir: "checkpoints", Keep: 3, QueryTimeout: "10s"}
}

func (c config) queryTimeout() time.Duration {
	d, err := time.ParseDuration(c.QueryTimeout)
	if err != nil || d <= 0 {
		return 10 * time.Second
	}
	return d
}

// mustLoadConfig reads the JSON config at path over the defaults.
func mustLoadConfig(path string) config {
	cfg := defaultConfig()
	if path == "" {
		return cfg
	}
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		log.Fatalf("config %s: %v", path, err) // HAZ exit-skips-defer
	}
	return cfg
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	cfgPath := flag.String("config", "", "JSON config file")
	flag.Parse()
	cfg := mustLoadConfig(*cfgPath)
	store, err := checkpoint.Open(cfg.CheckpointDir, cfg.Keep)
	if err != nil {
		log.Fatalf("checkpoints: %v", err)
	}

	rep := progress.NewReporter(os.Stderr, 0, 30*time.Second)
	rep.Start()
	defer rep.Stop()

	s := &server{cfg: cfg, store: store, rep: rep, logger: log.New(os.Stderr, "bcserve: ", log.LstdFlags)}
	s.logger.Printf("listening on %s", *addr)
	if err := http.ListenAndServe(*addr, s.routes()); err != nil { // HAZ signal-skips-defer
		s.logger.Printf("serve: %v", err)
	}
}
