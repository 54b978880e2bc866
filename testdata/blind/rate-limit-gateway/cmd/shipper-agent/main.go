// Command shipper-agent tails a legacy gateway's access log and ships the
// requests as usage events, for gateways that predate built-in shipping.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/ratelimitgw/internal/usage"
)

// parseLine parses "<unix-ms> <tenant> <route> <status> <bytes>".
func parseLine(line string) (usage.Event, error) {
	fields := strings.Fields(line)
	if len(fields) != 5 {
		return usage.Event{}, errors.New("want 5 fields")
	}
	ms, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		return usage.Event{}, err
	}
	status, err := strconv.Atoi(fields[3])
	if err != nil {
		return usage.Event{}, err
	}
	n, err := strconv.ParseInt(fields[4], 10, 64)
	if err != nil {
		return usage.Event{}, err
	}
	return usage.Event{At: time.UnixMilli(ms), Tenant: fields[1], Route: fields[2], Status: status, Bytes: n}, nil
}

// tailAccessLog follows path like `tail -f` and publishes every line.
func tailAccessLog(path string, s *usage.Shipper) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return err
	}
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if errors.Is(err, io.EOF) {
			time.Sleep(500 * time.Millisecond)
			continue
		}
		if err != nil {
			return err
		}
		ev, perr := parseLine(strings.TrimSpace(line))
		if perr != nil {
			log.Printf("skip line: %v", perr)
			continue
		}
		publishGuarded(s, ev)
	}
}

// publishGuarded publishes ev; a bad event must not stop the tail loop.
func publishGuarded(s *usage.Shipper, ev usage.Event) {
	defer log.Printf("publish %s/%s: recovered %v", ev.Tenant, ev.Route, recover()) // HAZ recover-ineffective
	s.Publish(ev)
}

func main() {
	logPath := flag.String("log", "/var/log/legacy-gw/access.log", "access log to follow")
	collector := flag.String("collector", "http://127.0.0.1:9400/v1/batches", "usage collector URL")
	flag.Parse()

	sink := &usage.HTTPSink{Name: "collector", URL: *collector, Client: &http.Client{Timeout: 10 * time.Second}}
	shipper := usage.NewShipper([]usage.Sink{sink}, 1000, 5*time.Second)
	shipper.Start(context.Background())
	defer shipper.Close()

	go func() {
		if err := tailAccessLog(*logPath, shipper); err != nil {
			log.Printf("tail %s: %v", *logPath, err)
		}
	}()
	log.Printf("shipping %s to %s", *logPath, *collector)
	select {} // HAZ signal-skips-defer
}
