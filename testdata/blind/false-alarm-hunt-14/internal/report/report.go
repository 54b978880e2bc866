// Package report summarizes stored events per topic.
package report

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"example.com/fah14/internal/store"
)

// Row is the summary of one topic.
type Row struct {
	Topic string
	Count int
	Bytes int
	First time.Time
	Last  time.Time
}

// trace logs how long a report step took. Use it as:
//
//	defer trace(logf, "step")()
func trace(logf func(format string, args ...any), step string) func() {
	start := time.Now()
	return func() { logf("report: %s took %s", step, time.Since(start)) }
}

// Summarize groups evs by topic, sorted by topic name.
func Summarize(evs []store.Event) []Row {
	byTopic := make(map[string]*Row)
	for _, ev := range evs {
		r, ok := byTopic[ev.Topic]
		if !ok {
			r = &Row{Topic: ev.Topic, First: ev.Received, Last: ev.Received}
			byTopic[ev.Topic] = r
		}
		r.Count++
		r.Bytes += len(ev.Payload)
		if ev.Received.Before(r.First) {
			r.First = ev.Received
		}
		if ev.Received.After(r.Last) {
			r.Last = ev.Received
		}
	}
	rows := make([]Row, 0, len(byTopic))
	for _, r := range byTopic {
		rows = append(rows, *r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Topic < rows[j].Topic })
	return rows
}

// Build summarizes evs and logs how long it took.
func Build(evs []store.Event, logf func(format string, args ...any)) []Row {
	defer trace(logf, "summarize")()
	return Summarize(evs)
}

var header = []string{"topic", "count", "bytes", "first", "last"}

// WriteCSV writes rows as CSV with a header line.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Topic, strconv.Itoa(r.Count), strconv.Itoa(r.Bytes),
			r.First.UTC().Format(time.RFC3339), r.Last.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes rows as an aligned table with times in the local zone.
func WriteText(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tCOUNT\tBYTES\tFIRST\tLAST")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", r.Topic, r.Count, r.Bytes,
			r.First.Local().Format("2006-01-02 15:04"), r.Last.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// SaveCSV writes rows to path as CSV.
func SaveCSV(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return WriteCSV(f, rows)
}

// SaveGzipCSV writes rows to path as gzip-compressed CSV.
func SaveGzipCSV(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return WriteCSV(zw, rows)
}

// SaveText writes rows to path as an aligned table.
func SaveText(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return WriteText(f, rows)
}

// SaveAll writes the plain and the compressed CSV summary into dir.
func SaveAll(dir string, rows []Row, logf func(format string, args ...any)) error {
	defer trace(logf, "save all") // HAZ defer-func-result-not-called
	if err := SaveCSV(filepath.Join(dir, "summary.csv"), rows); err != nil {
		return err
	}
	return SaveGzipCSV(filepath.Join(dir, "summary.csv.gz"), rows)
}

// LoadCSV reads rows written by WriteCSV.
func LoadCSV(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		return f.Close()
	}()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	rows := make([]Row, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		r, err := parseRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, i+2, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func parseRecord(rec []string) (Row, error) {
	if len(rec) != len(header) {
		return Row{}, fmt.Errorf("%d fields, want %d", len(rec), len(header))
	}
	r := Row{Topic: rec[0]}
	var err error
	if r.Count, err = strconv.Atoi(rec[1]); err != nil {
		return Row{}, err
	}
	if r.Bytes, err = strconv.Atoi(rec[2]); err != nil {
		return Row{}, err
	}
	if r.First, err = time.Parse(time.RFC3339, rec[3]); err != nil {
		return Row{}, err
	}
	if r.Last, err = time.Parse(time.RFC3339, rec[4]); err != nil {
		return Row{}, err
	}
	return r, nil
}
