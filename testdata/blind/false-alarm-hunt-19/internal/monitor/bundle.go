package monitor

import (
	"archive/zip"
	"fmt"
	"os"
	"slices"
)

// WriteSupportBundle writes a zip archive holding the current metrics and
// the given extra files (config, recent logs), for support tickets.
func (r *Registry) WriteSupportBundle(path string, extra map[string][]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()

	w, err := zw.Create("metrics.txt")
	if err != nil {
		return err
	}
	for _, s := range r.Gather() {
		if _, err := fmt.Fprintf(w, "%s %g\n", s.Name, s.Value); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(extra[name]); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
