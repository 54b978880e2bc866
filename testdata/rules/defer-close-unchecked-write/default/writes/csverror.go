package writes

import (
	"encoding/csv"
	"errors"
	"os"
)

// Error is read before the deferred Flush writes the buffered rows: it reports nothing of them.
func writeManifest(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // want `deferred cw\.Flush\(\) discards the write errors of the csv writer from encoding/csv\.NewWriter on line \d+`
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return cw.Error()
}

// Flushed before Error is read. No finding.
func writeManifestFlushed(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush()
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// The literal returns Close's error to nobody: deferred calls' results are discarded.
func writeDump(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() error {
		return f.Close() // want `deferred f\.Close\(\) discards the error of the file created by os\.Create on line \d+`
	}()
	_, err = f.Write(data)
	return err
}

// The deferred literal flushes and then reads Error into the named result. No finding.
func writeReportCSV(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	defer func() { w.Flush(); err = errors.Join(err, w.Error()) }()
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return nil
}
