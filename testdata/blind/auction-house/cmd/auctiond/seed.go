package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"example.com/auction/internal/auction"
)

// seedLot is one entry of the lots file the auction house prepares for a
// trading day.
type seedLot struct {
	auction.Lot
	Reserve  int64     `json:"reserve"`
	Deadline time.Time `json:"deadline"`
}

// seedLots loads the day's lots from a JSON file into reg.
func seedLots(reg *auction.Registry, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var lots []seedLot
	if err := json.NewDecoder(f).Decode(&lots); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	added := 0
	for _, l := range lots {
		if l.Deadline.Before(time.Now()) {
			continue
		}
		if err := reg.Add(auction.New(l.Lot, l.Reserve, l.Deadline)); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}
