// Package output writes aggregated results as CSV, JSON lines or gob, optionally gzip'd.
package output

import (
	"fmt"
	"sort"
	"strconv"

	"example.com/batchcompute/internal/aggregate"
)

// Record is one output row.
type Record struct {
	Key  string  `json:"key"`
	N    int64   `json:"n"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// Header is the CSV header row.
var Header = []string{"key", "n", "mean", "std", "min", "max"}

func (r Record) fields() []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	return []string{r.Key, strconv.FormatInt(r.N, 10), f(r.Mean), f(r.Std), f(r.Min), f(r.Max)}
}

func parseRecord(row []string) (Record, error) {
	if len(row) != len(Header) {
		return Record{}, fmt.Errorf("output: %d fields, want %d", len(row), len(Header))
	}
	var r Record
	var err error
	r.Key = row[0]
	if r.N, err = strconv.ParseInt(row[1], 10, 64); err != nil {
		return Record{}, err
	}
	vals := []*float64{&r.Mean, &r.Std, &r.Min, &r.Max}
	for i, p := range vals {
		if *p, err = strconv.ParseFloat(row[2+i], 64); err != nil {
			return Record{}, fmt.Errorf("field %s: %w", Header[2+i], err)
		}
	}
	return r, nil
}

// FromSnapshot converts a table snapshot into records sorted by key.
func FromSnapshot(snap map[string]aggregate.Stat) []Record {
	recs := make([]Record, 0, len(snap))
	for k, s := range snap {
		recs = append(recs, Record{Key: k, N: s.N, Mean: s.Mean, Std: s.Std(), Min: s.Min, Max: s.Max})
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Key < recs[j].Key })
	return recs
}
