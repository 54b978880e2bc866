// Command replay re-runs a day's bid journal against a fresh registry to
// reproduce a disputed result.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"example.com/auction/internal/auction"
	"example.com/auction/internal/bidstream"
	"example.com/auction/internal/obs"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: replay [-lot ID] journal\n")
		flag.PrintDefaults()
	}
	only := flag.String("lot", "", "replay only this lot")
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(replay(flag.Arg(0), *only))
}

// replay applies every journal line and prints the final state of each
// lot. It returns the process exit status.
func replay(path, only string) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer f.Close()
	defer obs.Trace("replay " + path)()

	lots := make(map[string]*auction.Auction)
	var order []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		id, err := applyLine(lots, sc.Text(), only)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s:%d: %v\n", path, n, err)
			continue
		}
		if id != "" && len(order) < len(lots) {
			order = append(order, id)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, id := range order {
		s := lots[id].Snapshot()
		fmt.Printf("%-10s %-8s leader=%-12s %s (%d bids)\n", id, s.Status, s.Leading.Bidder, bidstream.FormatAmount(s.Leading.Amount), s.Bids)
	}
	return 0
}

// applyLine applies one journal line, "<RFC3339> <bidder> BID <lot>
// <amount>", and returns the lot it touched when that lot is new.
func applyLine(lots map[string]*auction.Auction, line, only string) (string, error) {
	f := strings.Fields(line)
	if len(f) != 5 || f[2] != "BID" {
		return "", fmt.Errorf("malformed line %q", line)
	}
	if only != "" && f[3] != only {
		return "", nil
	}
	at, err := time.Parse(time.RFC3339Nano, f[0])
	if err != nil {
		return "", err
	}
	amount, err := bidstream.ParseAmount(f[4])
	if err != nil {
		return "", err
	}
	a, seen := lots[f[3]]
	if !seen {
		a = auction.New(auction.Lot{ID: f[3], Opening: 1}, 0, at.Add(24*time.Hour))
		lots[f[3]] = a
	}
	if err := a.Bid(auction.Bid{Bidder: f[1], Amount: amount, At: at}); err != nil {
		return "", err
	}
	if seen {
		return "", nil
	}
	return f[3], nil
}
