package writes

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"example.com/closewrite/fsx"
)

// The helper of another package opens for appending: the deferred Close drops its error.
func appendRecords(path string, recs []string) error {
	f, err := fsx.AppendTo(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file opened for writing by fsx\.AppendTo \(os\.OpenFile inside\)`
	for _, r := range recs {
		if _, err := fmt.Fprintln(f, r); err != nil {
			return err
		}
	}
	return nil
}

// Opened read-only by the helper: nothing written is lost.
func firstRecord(path string) (string, error) {
	f, err := fsx.ReadFrom(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return strings.SplitN(string(b), "\n", 2)[0], err
}

// The buffered writer from the other package's helper: its deferred Flush drops the last chunk's error.
func dumpRows(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := fsx.NewLineWriter(f)
	defer bw.Flush() // want `deferred bw\.Flush\(\) discards the error of the buffered writer from fsx\.NewLineWriter \(bufio\.NewWriterSize inside\)`
	for _, row := range rows {
		if _, err := bw.WriteString(strings.Join(row, ",") + "\n"); err != nil {
			return err
		}
	}
	return nil
}
