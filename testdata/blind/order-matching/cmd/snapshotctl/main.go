// Command snapshotctl inspects and converts order-book snapshots.
package main

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"example.com/matching/internal/snapshot"
)

func main() {
	if len(os.Args) < 3 {
		die("usage: snapshotctl inspect|header FILE | convert FILE OUT.json")
	}
	switch os.Args[1] {
	case "inspect":
		inspect(os.Args[2])
	case "header":
		h, err := header(os.Args[2])
		if err != nil {
			die("%v", err)
		}
		fmt.Printf("name=%q modified=%s comment=%q\n", h.Name, h.ModTime, h.Comment)
	case "convert":
		if len(os.Args) < 4 {
			die("convert needs an output file")
		}
		convert(os.Args[2], os.Args[3])
	default:
		die("unknown command %q", os.Args[1])
	}
}

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "snapshotctl: "+format+"\n", args...)
	os.Exit(1)
}

// inspect prints per-symbol order counts.
func inspect(path string) {
	st, err := snapshot.Load(path)
	if err != nil {
		die("%v", err)
	}
	syms := make([]string, 0, len(st.Books))
	for sym := range st.Books {
		syms = append(syms, sym)
	}
	sort.Strings(syms)
	fmt.Printf("snapshot v%d taken %s at journal seq %d\n", st.Version, st.TakenAt, st.JournalSeq)
	for _, sym := range syms {
		fmt.Printf("  %-10s %6d resting orders\n", sym, len(st.Books[sym]))
	}
}

// header reads only the gzip header of a snapshot file.
func header(path string) (gzip.Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return gzip.Header{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return gzip.Header{}, fmt.Errorf("%s: %w", path, err)
	}
	return zr.Header, nil
}

// convert rewrites a snapshot as plain JSON. It writes into a temporary file
// next to out and renames it into place only when everything succeeded.
func convert(in, out string) {
	st, err := snapshot.Load(in)
	if err != nil {
		die("%v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".convert-*")
	if err != nil {
		die("%v", err)
	}
	defer os.Remove(tmp.Name())
	err = writeJSON(tmp, st)
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		die("convert %s: %v", out, err) // HAZ exit-skips-defer
	}
}

// writeJSON encodes st into f and closes it, reporting the close error.
func writeJSON(f *os.File, st *snapshot.State) (err error) {
	defer func() {
		if cerr := f.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) {
			err = errors.Join(err, cerr)
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(st); err != nil {
		return err
	}
	return f.Sync()
}
