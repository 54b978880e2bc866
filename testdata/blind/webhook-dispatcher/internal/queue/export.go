package queue

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
)

// ExportPending writes the pending items as JSON lines, for inspection or
// for moving a queue to another host.
func (q *Queue) ExportPending(path string) error {
	items := q.Snapshot()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// ExportCompressed is ExportPending with gzip, for off-host backups.
func (q *Queue) ExportCompressed(path string) (err error) {
	items := q.Snapshot()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	defer func() {
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(zw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// ImportFile enqueues the items of a file written by ExportPending and
// returns how many were added. Sequence numbers are reassigned.
func (q *Queue) ImportFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	n := 0
	for {
		var it Item
		err := dec.Decode(&it)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if _, err := q.Enqueue(it.Delivery); err != nil {
			return n, err
		}
		n++
	}
}
