// Command mdfeed is the stand-alone market-data distributor: it reads book
// updates from the engine's multicast relay, records them, and fans them out
// to TCP subscribers.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"example.com/matching/internal/marketdata"
	"example.com/matching/internal/obs"
)

var (
	feedAddr  = flag.String("feed", ":9100", "subscriber listen address")
	relayAddr = flag.String("relay", "127.0.0.1:9101", "engine relay address")
	statsAddr = flag.String("stats", "127.0.0.1:9102", "stats listen address")
	recDir    = flag.String("record", "/var/lib/mdfeed", "recording directory")
	maxDrops  = flag.Int64("max-drops", 500, "updates dropped before a subscriber is evicted")
)

func main() {
	flag.Parse()
	ln, err := net.Listen("tcp", *feedAddr)
	if err != nil {
		log.Fatalf("mdfeed: %v", err)
	}
	rec, err := marketdata.OpenRecorder(*recDir)
	if err != nil {
		log.Fatalf("mdfeed: %v", err)
	}
	defer rec.Close()

	hub := marketdata.NewHub(*maxDrops, log.Default(), obs.NewTracer(log.Default(), false))
	hub.AddHook(func(u marketdata.Update) {
		if err := rec.Record(u); err != nil {
			log.Printf("mdfeed: record: %v", err)
		}
	})
	updates := make(chan marketdata.Update, 4096)
	go readRelay(*relayAddr, updates)
	hub.Start(updates)
	go serveFeed(ln, hub)

	http.HandleFunc("/stats", statsHandler(hub, rec))
	log.Fatal(http.ListenAndServe(*statsAddr, nil)) // HAZ exit-skips-defer signal-skips-defer
}

// readRelay decodes JSON updates from the engine relay, reconnecting with
// back-off.
func readRelay(addr string, out chan<- marketdata.Update) {
	backoff := 100 * time.Millisecond
	for {
		err := func() error {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				return err
			}
			defer c.Close()
			dec := json.NewDecoder(bufio.NewReader(c))
			for {
				var u marketdata.Update
				if err := dec.Decode(&u); err != nil {
					return err
				}
				out <- u
			}
		}()
		log.Printf("mdfeed: relay %s: %v; retrying in %s", addr, err, backoff)
		time.Sleep(backoff)
		backoff = min(2*backoff, 10*time.Second)
	}
}

// serveFeed accepts subscribers for the lifetime of the process.
func serveFeed(ln net.Listener, hub *marketdata.Hub) {
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Printf("mdfeed: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer c.Close() // HAZ defer-in-infinite-loop
		go streamTo(c, hub)
	}
}

// streamTo reads the subscriber's symbol list and streams updates to it
// until it falls behind or goes away.
func streamTo(c net.Conn, hub *marketdata.Hub) {
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		log.Printf("mdfeed: %s: no subscription: %v", c.RemoteAddr(), err)
		return
	}
	var syms []string
	if s := strings.TrimSpace(line); s != "*" {
		syms = strings.Split(s, ",")
	}
	sub := hub.Subscribe(syms, 1024)
	err = pipe(c, sub)
	hub.Unsubscribe(sub.ID())
	log.Printf("mdfeed: %s: stream ended: %v", c.RemoteAddr(), err)
}

// pipe writes every update of sub to c, flushing after each burst.
func pipe(c net.Conn, sub *marketdata.Subscriber) error {
	bw := bufio.NewWriterSize(c, 32<<10)
	enc := json.NewEncoder(bw)
	for u := range sub.C() {
		if err := c.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
			return err
		}
		if err := enc.Encode(u); err != nil {
			return err
		}
		if len(sub.C()) == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("evicted after %d dropped updates", sub.Dropped())
}

func statsHandler(hub *marketdata.Hub, rec *marketdata.Recorder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"subscribers": hub.Subscribers(),
			"recorded":    rec.Count(),
			"latency":     obs.Default.Views(),
		})
	}
}
