package cardnet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
)

// BINRange maps a card number prefix range to a scheme.
type BINRange struct {
	Low, High int64
	Scheme    string
}

// LoadBINRanges reads the network's BIN table (a read-only CSV file).
func LoadBINRanges(path string) ([]BINRange, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseBINRanges(f)
}

func parseBINRanges(r io.Reader) ([]BINRange, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	var out []BINRange
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		lo, err1 := strconv.ParseInt(rec[0], 10, 64)
		hi, err2 := strconv.ParseInt(rec[1], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("cardnet: bin row %v: %w", rec, err)
		}
		out = append(out, BINRange{Low: lo, High: hi, Scheme: rec[2]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Low < out[j].Low })
	return out, nil
}

// SchemeFor finds the scheme of a BIN in sorted ranges.
func SchemeFor(ranges []BINRange, bin int64) (string, bool) {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i].High >= bin })
	if i < len(ranges) && ranges[i].Low <= bin {
		return ranges[i].Scheme, true
	}
	return "", false
}
