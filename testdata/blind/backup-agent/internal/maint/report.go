package maint

import (
	"encoding/csv"
	"errors"
	"os"
	"strconv"
)

// WriteCSV writes the report as a small CSV file for the monitoring system.
func (r Report) WriteCSV(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	defer func() { w.Flush(); err = errors.Join(err, w.Error()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	rows := [][]string{
		{"metric", "value"},
		{"packs", strconv.Itoa(r.Packs)},
		{"blobs", strconv.Itoa(r.Blobs)},
		{"damaged", strconv.Itoa(r.Damaged)},
		{"missing", strconv.Itoa(len(r.Missing))},
		{"errors", strconv.Itoa(len(r.Errors))},
	}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}
