package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"example.com/fah10/internal/archive"
	"example.com/fah10/internal/catalog"
)

// lockDataDir takes the data directory's admin lock and returns the func
// that releases it.
func lockDataDir(dir string) (func(), error) {
	path := filepath.Join(dir, ".snapctl.lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s is locked by another snapctl", dir)
		}
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

func cmdList(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	dir := fs.String("data", defaultDataDir, "data directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cat, err := catalog.Load(filepath.Join(*dir, "catalog.json"), nil)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tSIZE\tREFS\tLAST USED")
	for _, e := range cat.Snapshot() {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", e.Key, e.Size, e.Refs, e.LastUsed.Format(time.RFC3339))
	}
	return tw.Flush()
}

func cmdVerify(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	dir := fs.String("data", defaultDataDir, "data directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	unlock, err := lockDataDir(*dir)
	if err != nil {
		return err
	}
	defer unlock()

	want, err := archive.ReadChecksums(filepath.Join(*dir, "SHA256SUMS"))
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	got, err := archive.HashAll(paths)
	if err != nil {
		return err
	}
	var bad []string
	for _, p := range paths {
		if got[p] != want[p] {
			bad = append(bad, p)
		}
	}
	if len(bad) > 0 {
		for _, p := range bad {
			fmt.Fprintf(w, "MISMATCH %s\n", p)
		}
		os.Exit(exitMismatch) // HAZ exit-skips-defer
	}
	fmt.Fprintf(w, "%d files OK\n", len(paths))
	return nil
}

func cmdCheck(w io.Writer, args []string) error {
	if len(args) != 1 {
		die("usage: snapctl check MANIFEST")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	var m archive.Manifest
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	if m.Version != 1 {
		return fmt.Errorf("%s: unsupported manifest version %d", args[0], m.Version)
	}
	fmt.Fprintf(w, "%s: %d files\n", args[0], len(m.Files))
	return nil
}

func cmdExport(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dir := fs.String("data", defaultDataDir, "data directory")
	out := fs.String("o", "snapshots.tgz", "output bundle")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cat, err := catalog.Load(filepath.Join(*dir, "catalog.json"), nil)
	if err != nil {
		return err
	}
	var files []archive.File
	for _, e := range cat.Snapshot() {
		files = append(files, archive.File{Name: e.Key, Path: filepath.Join(*dir, "blobs", e.Digest)})
	}

	tmp := *out + ".partial"
	defer os.Remove(tmp) // no-op once renamed
	if err := archive.WriteBundle(tmp, files); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %d blobs to %s\n", len(files), *out)
	return nil
}

// closeBody closes resp's body.
func closeBody(resp *http.Response) {
	resp.Body.Close()
}

func cmdPing(w io.Writer, args []string) error {
	addr := "http://localhost:8080"
	if len(args) > 0 {
		addr = args[0]
	}
	start := time.Now()
	resp, _ := http.Get(addr + "/blobs?limit=1")
	defer closeBody(resp) // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", addr, resp.Status)
	}
	fmt.Fprintf(w, "%s OK in %v\n", addr, time.Since(start).Round(time.Millisecond))
	return nil
}

func cmdGC(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("gc", flag.ContinueOnError)
	dir := fs.String("data", defaultDataDir, "data directory")
	maxAge := fs.Duration("max-age", 30*24*time.Hour, "prune entries unused for this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	unlock, err := lockDataDir(*dir)
	if err != nil {
		return err
	}
	defer unlock()
	if *maxAge < time.Hour {
		die("refusing -max-age below 1h (got %v)", *maxAge) // HAZ exit-skips-defer
	}

	path := filepath.Join(*dir, "catalog.json")
	cat, err := catalog.Load(path, nil)
	if err != nil {
		return err
	}
	pruned := cat.Prune(time.Now().Add(-*maxAge))
	for _, e := range pruned {
		if err := os.Remove(filepath.Join(*dir, "blobs", e.Digest)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	fmt.Fprintf(w, "pruned %d entries\n", len(pruned))
	return cat.Save(path)
}
