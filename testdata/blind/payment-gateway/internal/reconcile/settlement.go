// Package reconcile matches the ledger against the card networks' daily
// settlement files and writes discrepancy reports.
package reconcile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Row is one settled transaction as reported by the network.
type Row struct {
	NetworkRef string
	Merchant   string
	Amount     int64
	Currency   string
}

var settlementHeader = []string{"network_ref", "merchant", "amount", "currency"}

// ParseSettlement reads a settlement CSV with a header line.
func ParseSettlement(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reconcile: header: %w", err)
	}
	if strings.Join(header, ",") != strings.Join(settlementHeader, ",") {
		return nil, fmt.Errorf("reconcile: unexpected header %v", header)
	}
	var out []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		amt, err := strconv.ParseInt(rec[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("reconcile: amount %q: %w", rec[2], err)
		}
		out = append(out, Row{NetworkRef: rec[0], Merchant: rec[1], Amount: amt, Currency: rec[3]})
	}
}

// ReadSettlement parses the primary settlement file; networks that publish a
// corrected file replace it, so a corrected copy is read when present.
func ReadSettlement(primary, corrected string) ([]Row, error) {
	f, err := os.Open(primary)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	rows, err := ParseSettlement(f)
	if err != nil {
		return nil, err
	}
	if _, statErr := os.Stat(corrected); statErr == nil {
		f, err = os.Open(corrected)
		if err != nil {
			return nil, err
		}
		if rows, err = ParseSettlement(f); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// ReadAll parses several settlement files, closing each one before the
// next is opened.
func ReadAll(paths []string) ([]Row, error) {
	var all []Row
	for _, p := range paths {
		rows, err := readOne(p)
		if err != nil {
			return nil, fmt.Errorf("reconcile: %s: %w", p, err)
		}
		all = append(all, rows...)
	}
	return all, nil
}

func readOne(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseSettlement(f)
}
