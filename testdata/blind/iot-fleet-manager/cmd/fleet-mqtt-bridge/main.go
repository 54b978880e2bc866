// Command fleet-mqtt-bridge republishes fleetd device events to a site's
// legacy event bus, rewriting topics to the bus's naming scheme.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	api := flag.String("api", "http://127.0.0.1:8080", "fleetd API")
	bus := flag.String("bus", "127.0.0.1:7000", "event bus line-protocol address")
	prefix := flag.String("prefix", "site/fleet", "topic prefix on the bus")
	flag.Parse()

	conn, err := net.DialTimeout("tcp", *bus, 5*time.Second)
	if err != nil {
		log.Fatalf("fleet-mqtt-bridge: %v", err)
	}
	defer conn.Close()
	out := bufio.NewWriter(conn)

	go func() {
		for {
			if err := forward(context.Background(), *api, out, *prefix); err != nil {
				log.Printf("fleet-mqtt-bridge: %v; reconnecting", err)
			}
			time.Sleep(2 * time.Second)
		}
	}()
	log.Printf("fleet-mqtt-bridge: %s -> %s", *api, *bus)
	select {} // HAZ signal-skips-defer
}

// forward streams fleetd events and writes them to the bus until the
// stream breaks.
func forward(ctx context.Context, api string, out *bufio.Writer, prefix string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api+"/v1/events?topic=devices/%23", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("FLEET_TOKEN"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("events: %s", resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	topic := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			topic = rewriteTopic(prefix, strings.TrimPrefix(line, "event: "))
		case strings.HasPrefix(line, "data: ") && topic != "":
			fmt.Fprintf(out, "%s %s\n", topic, strings.TrimPrefix(line, "data: "))
			if err := out.Flush(); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

// rewriteTopic maps "devices/<id>/<kind>" to "<prefix>.<id>.<kind>".
func rewriteTopic(prefix, topic string) string {
	return prefix + "." + strings.ReplaceAll(strings.TrimPrefix(topic, "devices/"), "/", ".")
}
