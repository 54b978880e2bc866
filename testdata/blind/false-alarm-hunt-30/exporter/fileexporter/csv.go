package fileexporter

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"sort"
	"strconv"

	"example.com/fah30/pdata"
)

var csvHeader = []string{"trace_id", "span_id", "parent_id", "name", "start_unix_nano", "duration_ns", "status"}

func spanRecord(s pdata.Span) []string {
	return []string{
		s.TraceID, s.SpanID, s.ParentID, s.Name,
		strconv.FormatInt(s.StartNanos, 10),
		strconv.FormatInt(s.EndNanos-s.StartNanos, 10),
		s.Status,
	}
}

// writeSpansCSV writes spans to path as CSV, for spreadsheet users.
func writeSpansCSV(path string, spans []pdata.Span) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, s := range spans {
		if err := cw.Write(spanRecord(s)); err != nil {
			return err
		}
	}
	return nil
}

// writeSummaryCSV writes span counts per name, most frequent first. The
// writer is flushed explicitly and its error returned.
func writeSummaryCSV(w io.Writer, spans []pdata.Span) error {
	counts := map[string]int{}
	for _, s := range spans {
		counts[s.Name]++
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return counts[names[i]] > counts[names[j]] })
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "count"}); err != nil {
		return err
	}
	for _, n := range names {
		if err := cw.Write([]string{n, strconv.Itoa(counts[n])}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportCSV writes the spans of batches to path, and a per-name summary to
// path.summary.csv.
func ExportCSV(path string, batches []pdata.Batch) (err error) {
	var spans []pdata.Span
	for _, b := range batches {
		spans = append(spans, b.Spans...)
	}
	if err := writeSpansCSV(path, spans); err != nil {
		return err
	}
	f, err := os.Create(path + ".summary.csv")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return writeSummaryCSV(f, spans)
}
