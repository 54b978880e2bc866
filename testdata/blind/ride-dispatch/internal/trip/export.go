package trip

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// WriteJSONL writes one trip per line.
func WriteJSONL(w io.Writer, trips []*Trip) error {
	enc := json.NewEncoder(w)
	for _, t := range trips {
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return nil
}

// ExportJSONL writes trips to path as JSON lines.
func ExportJSONL(path string, trips []*Trip) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := WriteJSONL(bw, trips); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ExportGzip writes trips as gzip-compressed JSON lines.
func ExportGzip(path string, trips []*Trip) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	return WriteJSONL(zw, trips)
}

// Archive appends the finished trips to the monthly archive file.
func Archive(dir string, trips []*Trip, month time.Time) error {
	path := filepath.Join(dir, "archive-"+month.Format("2006-01")+".jsonl")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, t := range trips {
		if !t.State.Terminal() {
			continue
		}
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return nil
}

var csvHeader = []string{"id", "rider", "driver", "state", "fare", "surge", "created", "updated"}

func csvRow(t *Trip) []string {
	return []string{
		t.ID, t.RiderID, t.DriverID, string(t.State),
		strconv.FormatInt(t.Fare, 10),
		strconv.FormatFloat(t.Surge, 'f', 2, 64),
		t.Created.UTC().Format(time.RFC3339),
		t.Updated.UTC().Format(time.RFC3339),
	}
}

// ExportCSVGz writes a gzip-compressed CSV for the finance team. The gzip
// writer is closed before the file, and both errors reach the caller.
func ExportCSVGz(path string, trips []*Trip) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()

	cw := csv.NewWriter(zw)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, t := range trips {
		if err := cw.Write(csvRow(t)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadArchive reads an archive written by Archive or ExportJSONL, gzipped or not.
func ReadArchive(path string) ([]*Trip, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	dec := json.NewDecoder(r)
	var out []*Trip
	for {
		var t Trip
		err := dec.Decode(&t)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, &t)
	}
}
