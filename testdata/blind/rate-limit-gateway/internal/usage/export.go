package usage

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// WriteArchive writes batches as gzip-compressed JSON lines, for cold storage.
func WriteArchive(path string, batches []Batch) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(zw)
	for _, b := range batches {
		for _, ev := range b.Events {
			if err := enc.Encode(ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteCSVGz writes events as a gzip-compressed CSV report for billing.
func WriteCSVGz(path string, events []Event) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	cw := csv.NewWriter(zw)
	if err := cw.Write([]string{"tenant", "route", "status", "bytes", "at"}); err != nil {
		return err
	}
	for _, ev := range events {
		rec := []string{ev.Tenant, ev.Route, strconv.Itoa(ev.Status), strconv.FormatInt(ev.Bytes, 10), ev.At.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadArchive reads an archive written by WriteArchive.
func ReadArchive(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var out []Event
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, sc.Err()
}

// ArchiveStats counts the events and tenants of an archive without keeping
// the events in memory.
func ArchiveStats(path string) (events int, tenants int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	seen := make(map[string]bool)
	dec := json.NewDecoder(zr)
	for {
		var ev Event
		if err := dec.Decode(&ev); err == io.EOF {
			break
		} else if err != nil {
			return events, len(seen), err
		}
		events++
		seen[ev.Tenant] = true
	}
	return events, len(seen), nil
}

// WriteSpool writes all pending batches to a new spool file.
func WriteSpool(path string, batches []Batch) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for i := range batches {
		if err := enc.Encode(&batches[i]); err != nil {
			return err
		}
	}
	return nil
}

// AppendSpool appends one batch to the spool file used while all sinks are down.
func AppendSpool(path string, b Batch) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := json.NewEncoder(bw).Encode(b); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// MergeArchives reads several archives into one event list, e.g. the hourly
// archives of one day.
func MergeArchives(paths []string) ([]Event, error) {
	var out []Event
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		dec := json.NewDecoder(zr)
		for dec.More() {
			var ev Event
			if err := dec.Decode(&ev); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			out = append(out, ev)
		}
	}
	return out, nil
}
