// Command relayd is the relay daemon: it accepts events over HTTP, keeps
// them in segment files and forwards them to the replicas.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"example.com/up19/internal/catalog"
	"example.com/up19/internal/fanout"
	"example.com/up19/internal/httpapi"
	"example.com/up19/internal/segment"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dataDir := flag.String("data", "./data", "segment directory")
	replicas := flag.String("replicas", "", "comma-separated replica addresses")
	flag.Parse()

	w, err := segment.NewWriter(*dataDir, 64<<20, segment.Hooks{})
	if err != nil {
		log.Fatalf("relayd: %v", err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			log.Printf("relayd: close segment: %v", err)
		}
	}()

	cat := catalog.New()
	reps := strings.Split(*replicas, ",")
	for _, r := range reps {
		if err := checkReplica(context.Background(), r); err != nil {
			log.Printf("relayd: replica %s: %v", r, err)
		}
	}
	broker := fanout.NewBroker(reps, deliverHTTP, nil)
	api := httpapi.New(cat, broker, resolveStatic, "", nil)
	api.DataDir = *dataDir
	ctx := context.Background()
	go api.AuditLoop(ctx)
	go broker.Serve(ctx)
	srv := &http.Server{Addr: *addr, Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("relayd: serve: %v", err)
		}
	}()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for range tick.C { // HAZ signal-skips-defer
		if err := w.Flush(); err != nil {
			log.Printf("relayd: flush: %v", err)
		}
	}
}

// deliverHTTP posts ev to a replica.
func deliverHTTP(ctx context.Context, replica string, ev fanout.Event) fanout.Ack {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+replica+"/v1/events/"+ev.Topic, strings.NewReader(string(ev.Body)))
	if err != nil {
		return fanout.Ack{Replica: replica, Err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fanout.Ack{Replica: replica, Err: err}
	}
	defer resp.Body.Close()
	return fanout.Ack{Replica: replica, OK: resp.StatusCode == http.StatusAccepted}
}

// checkReplica asks a replica for its health page.
func checkReplica(ctx context.Context, replica string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+replica+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	defer func() { // HAZ defer-before-error-check
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	return nil
}

// resolveStatic routes every key to the local relay.
func resolveStatic(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return "localhost:8080/" + key, nil
}
