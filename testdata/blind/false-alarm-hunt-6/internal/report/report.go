// Package report writes the summaries produced by the batch jobs: CSV for
// spreadsheets, plain text for mail, gzip-compressed JSON lines for archives.
// Every writer checks the error of the final Close, because on network file
// systems that is where a full disk shows up.
package report

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// Row is one line of a job report.
type Row struct {
	Name     string
	Status   string
	Duration time.Duration
	Bytes    int64
	Err      string
}

// Summary aggregates the rows of one run.
type Summary struct {
	Job     string
	Started time.Time
	Rows    []Row
}

// NewSummary returns an empty summary for job.
func NewSummary(job string, started time.Time) *Summary {
	return &Summary{Job: job, Started: started}
}

// Add appends a row.
func (s *Summary) Add(r Row) { s.Rows = append(s.Rows, r) }

// Failed counts rows whose status is not "ok".
func (s *Summary) Failed() int {
	n := 0
	for _, r := range s.Rows {
		if r.Status != "ok" {
			n++
		}
	}
	return n
}

// TotalBytes sums the byte counts of all rows.
func (s *Summary) TotalBytes() int64 {
	var total int64
	for _, r := range s.Rows {
		total += r.Bytes
	}
	return total
}

// Sorted returns the rows ordered by name without touching s.
func (s *Summary) Sorted() []Row {
	out := append([]Row(nil), s.Rows...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// WriteCSV writes the summary as CSV. The deferred closure joins the Close
// error into the named result.
func WriteCSV(path string, s *Summary) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write([]string{"name", "status", "duration_ms", "bytes", "error"}); err != nil {
		return err
	}
	for _, r := range s.Sorted() {
		rec := []string{r.Name, r.Status, strconv.FormatInt(r.Duration.Milliseconds(), 10),
			strconv.FormatInt(r.Bytes, 10), r.Err}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// WriteText renders a human summary. The deferred Close is only a safety net
// for early returns; the success path closes explicitly and checks.
func WriteText(path string, s *Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := RenderText(f, s); err != nil {
		return err
	}
	return f.Close()
}

// RenderText writes the text form of s to w.
func RenderText(w io.Writer, s *Summary) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "job %s started %s\n", s.Job, s.Started.Format(time.RFC3339))
	for _, r := range s.Sorted() {
		line := fmt.Sprintf("  %-30s %-6s %8s %10d", r.Name, r.Status, r.Duration.Round(time.Millisecond), r.Bytes)
		if r.Err != "" {
			line += "  " + r.Err
		}
		fmt.Fprintln(bw, line)
	}
	fmt.Fprintf(bw, "%d rows, %d failed, %d bytes\n", len(s.Rows), s.Failed(), s.TotalBytes())
	return bw.Flush()
}

// WriteJSONGz writes one JSON object per row into a gzip file. The gzip
// writer is closed before the file, both errors are checked, and the deferred
// file Close only runs on early failure paths.
func WriteJSONGz(path string, s *Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, r := range s.Rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// WriteAtomic writes data produced by fill into path via a temp file in the
// same directory, so readers never see a half-written report.
func WriteAtomic(path string, fill func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteMarkdown renders the summary as a Markdown table for the wiki export.
func WriteMarkdown(path string, s *Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(f, "# %s\n\n| name | status | bytes |\n|---|---|---|\n", s.Job); err != nil {
		return err
	}
	for _, r := range s.Sorted() {
		if _, err := fmt.Fprintf(f, "| %s | %s | %d |\n", r.Name, r.Status, r.Bytes); err != nil {
			return err
		}
	}
	return nil
}

// ReadCSV loads a report written by WriteCSV; read-only, so a plain deferred
// Close is enough.
func ReadCSV(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var rows []Row
	for i, rec := range recs {
		if i == 0 || len(rec) < 5 {
			continue
		}
		ms, _ := strconv.ParseInt(rec[2], 10, 64)
		b, _ := strconv.ParseInt(rec[3], 10, 64)
		rows = append(rows, Row{Name: rec[0], Status: rec[1], Duration: time.Duration(ms) * time.Millisecond, Bytes: b, Err: rec[4]})
	}
	return rows, nil
}

// AppendLog appends a one-line record to a run log. The file is opened for
// appending; the success path checks Sync and Close.
func AppendLog(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.WriteString(f, line+"\n"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Mail formats the summary as the body of a notification mail.
func Mail(s *Summary) string {
	status := "OK"
	if s.Failed() > 0 {
		status = "FAILED"
	}
	return fmt.Sprintf("Subject: [%s] %s\n\n%d rows, %d failed\n", status, s.Job, len(s.Rows), s.Failed())
}
