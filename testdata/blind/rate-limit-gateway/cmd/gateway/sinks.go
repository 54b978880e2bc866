package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"example.com/ratelimitgw/internal/usage"
)

// buildSinks turns the -collector flag into usage sinks.
func buildSinks(list string) []usage.Sink {
	client := &http.Client{Timeout: 10 * time.Second}
	var sinks []usage.Sink
	for i, u := range strings.Split(list, ",") {
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		sinks = append(sinks, &usage.HTTPSink{Name: fmt.Sprintf("collector-%d", i), URL: u, Client: client})
	}
	return sinks
}
