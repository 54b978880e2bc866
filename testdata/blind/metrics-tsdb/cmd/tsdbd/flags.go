package main

import (
	"flag"
	"fmt"
	"strings"
	"time"
)

type config struct {
	dataDir         string
	httpAddr        string
	lineAddr        string
	retention       time.Duration
	retentionBytes  int64
	blockRange      time.Duration
	queryTimeout    time.Duration
	shutdownTimeout time.Duration
	replicas        []string
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var replicas string
	fs := flag.NewFlagSet("tsdbd", flag.ContinueOnError)
	fs.StringVar(&cfg.dataDir, "data", "data", "data directory")
	fs.StringVar(&cfg.httpAddr, "http", ":9090", "HTTP listen address (API and push)")
	fs.StringVar(&cfg.lineAddr, "line", ":8089", "line-protocol TCP listen address")
	fs.DurationVar(&cfg.retention, "retention", 15*24*time.Hour, "drop blocks older than this")
	fs.Int64Var(&cfg.retentionBytes, "retention-bytes", 0, "drop oldest blocks above this size (0 = off)")
	fs.DurationVar(&cfg.blockRange, "block-range", 2*time.Hour, "time range of a head block")
	fs.DurationVar(&cfg.queryTimeout, "query-timeout", 30*time.Second, "per-query timeout")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 20*time.Second, "graceful shutdown timeout")
	fs.StringVar(&replicas, "replicas", "", "comma-separated base URLs to forward line-protocol writes to")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if cfg.blockRange < time.Minute {
		return config{}, fmt.Errorf("-block-range %v is too small", cfg.blockRange)
	}
	for _, r := range strings.Split(replicas, ",") {
		if r = strings.TrimSpace(r); r != "" {
			cfg.replicas = append(cfg.replicas, r)
		}
	}
	return cfg, nil
}
