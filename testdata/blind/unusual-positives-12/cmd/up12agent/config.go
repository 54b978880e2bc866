package main

import (
	"errors"
	"flag"
	"strings"
	"time"
)

type config struct {
	addr    string
	items   int
	timeout time.Duration
	refresh time.Duration
	indexes []string
}

// loadConfig parses the command line.
func loadConfig(args []string) (config, error) {
	var c config
	var indexes string
	fs := flag.NewFlagSet("up12agent", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", ":8414", "HTTP listen address")
	fs.IntVar(&c.items, "items", 1024, "cache size in entries")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Second, "upstream timeout")
	fs.DurationVar(&c.refresh, "refresh", time.Minute, "index refresh interval")
	fs.StringVar(&indexes, "indexes", "", "comma separated index URLs")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if indexes == "" {
		return c, errors.New("-indexes is required")
	}
	c.indexes = strings.Split(indexes, ",")
	return c, nil
}
