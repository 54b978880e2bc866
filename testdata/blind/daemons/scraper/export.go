package scraper

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

func writeText(w io.Writer, samples []Sample) error {
	sorted := append([]Sample(nil), samples...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Target != sorted[j].Target {
			return sorted[i].Target < sorted[j].Target
		}
		return sorted[i].Metric < sorted[j].Metric
	})
	bw := bufio.NewWriter(w)
	for _, s := range sorted {
		if _, err := fmt.Fprintf(bw, "%s{target=%q} %g %d\n", s.Metric, s.Target, s.Value, s.At.UnixMilli()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ExportFile writes samples to path. With useTemp set it writes a temporary
// file next to path and renames it into place, so readers never see a
// partial file.
func ExportFile(path string, samples []Sample, useTemp bool) error {
	target := path
	var cleanup func()
	if useTemp {
		tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
		if err != nil {
			return err
		}
		tmp.Close()
		target = tmp.Name()
		cleanup = func() { os.Remove(target) }
	}
	defer cleanup() // HAZ defer-nil-func

	f, err := os.Create(target)
	if err != nil {
		return err
	}
	if err := writeText(f, samples); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if useTemp {
		return os.Rename(target, path)
	}
	return nil
}

// ExportDir writes one file per target into dir, each atomically.
func ExportDir(dir string, samples []Sample) (err error) {
	byTarget := map[string][]Sample{}
	for _, s := range samples {
		byTarget[s.Target] = append(byTarget[s.Target], s)
	}
	cleanup := func() {} // ok: never nil
	defer func() { cleanup() }()
	for target, ss := range byTarget {
		tmp, err := os.CreateTemp(dir, ".export-*")
		if err != nil {
			return err
		}
		prev := cleanup
		name := tmp.Name()
		cleanup = func() { os.Remove(name); prev() }
		err = writeText(tmp, ss)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if err := os.Rename(name, filepath.Join(dir, target+".prom")); err != nil {
			return err
		}
	}
	return nil
}

// AppendJournal appends samples to an on-disk journal. The deferred close
// reports its error through the named result.
func AppendJournal(path string, samples []Sample) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: named result
	return writeText(f, samples)
}
