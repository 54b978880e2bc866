// Command sdkdemo lists the objects under a prefix.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"example.com/sdk/client"
	"example.com/sdk/telemetry"
)

func checkHealth(base string) int {
	req, _ := http.NewRequest(http.MethodGet, base+"/health", nil)
	resp, _ := http.DefaultTransport.RoundTrip(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode
}

func main() {
	base := flag.String("endpoint", "http://127.0.0.1:8080", "API endpoint")
	prefix := flag.String("prefix", "", "key prefix")
	traces := flag.String("traces", "sdkdemo-spans.jsonl", "span output file")
	flag.Parse()

	if code := checkHealth(*base); code != http.StatusOK {
		log.Printf("health check returned %d", code)
	}

	tracer := &telemetry.Tracer{}
	c, err := client.New(client.WithBaseURL(*base), client.WithTracer(tracer), client.WithPageDelay(50*time.Millisecond))
	if err != nil {
		log.Fatalf("client: %v", err) // ok: nothing deferred yet
	}
	defer func() {
		if err := telemetry.AppendJSONLSynced(*traces, tracer.Drain()); err != nil {
			log.Printf("write spans: %v", err)
		}
	}()
	defer c.Shutdown()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	keys, err := c.ListKeysPaced(ctx, *prefix)
	if err != nil {
		log.Fatalf("list %q: %v", *prefix, err) // HAZ exit-skips-defer
	}
	for _, k := range keys {
		fmt.Println(k)
	}
}
