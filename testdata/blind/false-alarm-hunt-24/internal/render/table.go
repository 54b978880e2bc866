package render

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"example.com/fah24/internal/fsutil"
)

// PrintTable writes rows as aligned columns. The deferred Flush only matters
// on the early return; the success path flushes and reports the error.
func PrintTable(w io.Writer, header []string, rows [][]string) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, row := range rows {
		if len(row) != len(header) {
			return fmt.Errorf("row %q has %d columns, want %d", row, len(row), len(header))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCSV writes header and rows to path as CSV, atomically.
func WriteCSV(path string, header []string, rows [][]string) error {
	return fsutil.WriteWith(path, 0o644, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	})
}
