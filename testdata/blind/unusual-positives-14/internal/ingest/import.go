package ingest

import (
	"fmt"
	"io"

	"example.com/up14/internal/export"
)

// Import adds the reports recorded in a journal file to the totals.
func (c *Consumer) Import(path string) (int, error) {
	r, err := export.OpenReader[Report](path)
	defer r.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("ingest: import: %w", err)
	}
	n := 0
	for {
		rep, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("ingest: import %s: %w", path, err)
		}
		c.lines.Add(rep.Lines)
		n++
	}
}

// ImportLast returns the most recent report recorded in a journal file.
func ImportLast(path string) (Report, bool, error) {
	r, err := export.OpenReader[Report](path)
	if err != nil {
		return Report{}, false, err
	}
	defer r.Close()
	var last Report
	found := false
	for {
		rep, err := r.Next()
		if err == io.EOF {
			return last, found, nil
		}
		if err != nil {
			return last, found, err
		}
		last, found = rep, true
	}
}
