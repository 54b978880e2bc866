// Command auction-admin serves the admin API over a registry snapshot, for
// support staff investigating disputes away from the live engine.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/auction/internal/admin"
	"example.com/auction/internal/auction"
	"example.com/auction/internal/notify"
)

type snapshotLot struct {
	Lot      auction.Lot   `json:"lot"`
	Reserve  int64         `json:"reserve"`
	Deadline time.Time     `json:"deadline"`
	Bids     []auction.Bid `json:"bids"`
}

// loadSnapshot rebuilds a registry from a snapshot file.
func loadSnapshot(path string) (*auction.Registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lots []snapshotLot
	if err := json.Unmarshal(data, &lots); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	reg := auction.NewRegistry()
	for _, l := range lots {
		a := auction.New(l.Lot, l.Reserve, l.Deadline)
		for _, b := range l.Bids {
			if _, _, err := a.PlaceBid(b); err != nil {
				return nil, fmt.Errorf("lot %s: replaying bid of %s: %w", l.Lot.ID, b.Bidder, err)
			}
		}
		if err := reg.Add(a); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7171", "listen address")
	snap := flag.String("snapshot", "registry.json", "registry snapshot")
	auditPath := flag.String("audit", "admin-audit.log", "audit log of operator actions")
	flag.Parse()

	reg, err := loadSnapshot(*snap)
	if err != nil {
		log.Fatalf("auction-admin: %v", err)
	}
	auditFile, err := os.OpenFile(*auditPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		log.Fatalf("auction-admin: %v", err)
	}
	audit := admin.NewAuditor(auditFile)
	defer audit.Close()

	a := admin.New(reg, notify.NewHub(), nil, audit, log.Default())
	log.Printf("auction-admin: %d lots, listening on %s", len(reg.IDs()), *addr)
	if err := http.ListenAndServe(*addr, a.Routes()); err != nil { // HAZ signal-skips-defer
		log.Printf("auction-admin: %v", err)
	}
}
