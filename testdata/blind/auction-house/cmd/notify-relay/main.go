// Command notify-relay follows lots on the bidding port and forwards their
// notices to the bidders' webhooks.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"os"
	"strings"
	"time"

	"example.com/auction/internal/bidstream"
	"example.com/auction/internal/notify"
	"example.com/auction/internal/relay"
)

type hook struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Queue int    `json:"queue"`
}

// loadHooks reads the webhook list.
func loadHooks(path string) ([]hook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hooks []hook
	if err := json.NewDecoder(f).Decode(&hooks); err != nil {
		return nil, err
	}
	return hooks, nil
}

// parseNotice turns a protocol notice ("OUTBID L1 12.00") into a
// notification; other lines yield ok=false.
func parseNotice(line string) (n notify.Notification, ok bool) {
	f := strings.Fields(line)
	if len(f) != 3 || strings.HasPrefix(f[0], "OK") || f[0] == "ERR" {
		return n, false
	}
	amount, err := bidstream.ParseAmount(f[2])
	if err != nil {
		return n, false
	}
	return notify.Notification{Kind: strings.ToLower(f[0]), LotID: f[1], Amount: amount, At: time.Now()}, true
}

// closeRelay stops the relay, waiting at most five seconds.
func closeRelay(r *relay.Relay) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		log.Printf("notify-relay: %v", err)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7070", "bidding address")
	hooksPath := flag.String("hooks", "hooks.json", "webhook list")
	flag.Parse()

	hooks, err := loadHooks(*hooksPath)
	if err != nil {
		log.Fatalf("notify-relay: %v", err)
	}
	r := relay.New(nil, 10*time.Second)
	for _, h := range hooks {
		if err := r.Add(h.ID, h.URL, h.Queue); err != nil {
			log.Fatalf("notify-relay: %v", err)
		}
	}
	r.Start()
	defer closeRelay(r)

	for _, lot := range flag.Args() {
		lot := lot
		go bidstream.Follow(*addr, lot, func(line string) {
			if n, ok := parseNotice(line); ok && n.LotID == lot {
				r.Enqueue(n)
			}
		})
	}
	log.Printf("notify-relay: following %d lots for %d hooks", flag.NArg(), len(hooks))
	select {} // HAZ signal-skips-defer
}
