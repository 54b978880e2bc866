// Command bidbot is a load generator: it asks the admin API for the open
// lots and places rising bids on them over the bidding protocol.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"example.com/auction/internal/bidstream"
)

type lotInfo struct {
	LotID   string `json:"lot"`
	Leading struct {
		Amount int64 `json:"amount"`
	} `json:"leading"`
}

type stats struct {
	placed   atomic.Int64
	rejected atomic.Int64
	start    time.Time
}

func (s *stats) print(w io.Writer) {
	el := time.Since(s.start).Seconds()
	fmt.Fprintf(w, "placed %d, rejected %d in %.1fs (%.0f bids/s)\n",
		s.placed.Load(), s.rejected.Load(), el, float64(s.placed.Load())/el)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bidbot: "+format+"\n", args...)
	os.Exit(1)
}

var verbose = os.Getenv("BIDBOT_VERBOSE") != ""

func verbosef(format string, args ...any) {
	if verbose {
		fmt.Fprintf(os.Stderr, "bidbot: "+format+"\n", args...)
	}
}

// fetchLots asks the admin API which lots are open.
func fetchLots(adminURL string) ([]lotInfo, error) {
	resp, _ := http.Get(adminURL + "/lots")
	verbosef("GET %s/lots", adminURL)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /lots: %s", resp.Status)
	}
	var lots []lotInfo
	return lots, json.NewDecoder(resp.Body).Decode(&lots)
}

// fetchLotsWithTimeout is fetchLots with a deadline. On a redirect-policy
// failure the client returns both a response and an error, so the body is
// closed whenever there is a response.
func fetchLotsWithTimeout(ctx context.Context, adminURL string) ([]lotInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, adminURL+"/lots", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /lots: %s", resp.Status)
	}
	var lots []lotInfo
	return lots, json.NewDecoder(resp.Body).Decode(&lots)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7070", "bidding address")
	adminURL := flag.String("admin", "http://127.0.0.1:7071", "admin API base URL")
	name := flag.String("name", "bidbot", "bidder name")
	rounds := flag.Int("rounds", 100, "bids per lot")
	strict := flag.Bool("strict", false, "stop at the first rejected bid")
	quick := flag.Bool("quick", false, "skip the admin API timeout (local runs)")
	flag.Parse()

	var lots []lotInfo
	var err error
	if *quick {
		lots, err = fetchLots(*adminURL)
	} else {
		lots, err = fetchLotsWithTimeout(context.Background(), *adminURL)
	}
	if err != nil {
		die("fetch lots: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := bidstream.Dial(ctx, *addr, *name)
	if err != nil {
		die("%v", err)
	}
	defer c.Close()
	st := &stats{start: time.Now()}
	defer st.print(os.Stdout)

	for i := 0; i < *rounds; i++ {
		for j := range lots {
			lot := &lots[j]
			next := lot.Leading.Amount + 100 + int64(rand.Intn(5))*100
			if err := c.Bid(ctx, lot.LotID, next); err != nil {
				st.rejected.Add(1)
				if *strict {
					die("bid %s on %s: %v", bidstream.FormatAmount(next), lot.LotID, err) // HAZ exit-skips-defer
				}
				continue
			}
			st.placed.Add(1)
			lot.Leading.Amount = next
		}
	}
}
