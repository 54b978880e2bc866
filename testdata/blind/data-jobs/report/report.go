// Package report renders batch run reports with text/template.
package report

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"

	"example.com/etl/fsutil"
	"example.com/etl/progress"
)

// StageRow is one line of the report.
type StageRow struct {
	Name     string
	Done     int64
	Total    int64
	Duration time.Duration
	Err      string
}

// Report is the data passed to the template.
type Report struct {
	Title     string
	Generated time.Time
	Stages    []StageRow
	Notes     []string
}

const reportText = `{{.Title}}
Generated: {{.Generated.Format "2006-01-02 15:04:05 MST"}}

{{range .Stages}}{{printf "%-24s" .Name}} {{printf "%8d" .Done}}/{{.Total}} {{pct .Done .Total}} {{.Duration}}{{if .Err}}  ERROR: {{.Err}}{{end}}
{{end}}{{with .Notes}}
Notes:
{{range .}}  - {{.}}
{{end}}{{end}}`

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{"pct": pct}).Parse(reportText))

func pct(done, total int64) string {
	if total <= 0 {
		return "   -"
	}
	return fmt.Sprintf("%3d%%", done*100/total)
}

func timed(what string) func() {
	start := time.Now()
	return func() {
		log.Printf("report: %s took %s", what, time.Since(start).Round(time.Millisecond))
	}
}

// Render writes r to w.
func Render(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	if err := tmpl.Execute(bw, r); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteFile renders r into path atomically.
func WriteFile(path string, r Report) error {
	defer timed("write " + filepath.Base(path))() // ok: timed runs now, its result at exit
	af, err := fsutil.CreateAtomic(path, 0o644)
	if err != nil {
		return err
	}
	defer af.Abort()
	if err := Render(af, r); err != nil {
		return err
	}
	return af.Commit()
}

func slug(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "report"
	}
	return b.String()
}

// WriteAll renders one file per report into dir.
func WriteAll(dir string, reps []Report) error {
	defer timed("write all reports") // HAZ defer-func-result-not-called
	for _, r := range reps {
		if err := WriteFile(filepath.Join(dir, slug(r.Title)+".txt"), r); err != nil {
			return err
		}
	}
	return nil
}

// AppendSummary appends a one-line summary of r to the log file at path.
func AppendSummary(path string, r Report) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	failed := 0
	for _, s := range r.Stages {
		if s.Err != "" {
			failed++
		}
	}
	_, err = fmt.Fprintf(bw, "%s\t%s\t%d stages\t%d failed\n", r.Generated.Format(time.RFC3339), r.Title, len(r.Stages), failed)
	return err
}

// AppendLine appends a line to the log file at path.
func AppendLine(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // ok: flush error kept, runs before Close
	_, err = bw.WriteString(line + "\n")
	return err
}

// Collector gathers stage results from concurrent jobs.
type Collector struct {
	mu    sync.Mutex
	title string
	rows  map[string]*StageRow
	start map[string]time.Time
	notes []string
}

// NewCollector returns an empty collector.
func NewCollector(title string) *Collector {
	return &Collector{title: title, rows: make(map[string]*StageRow), start: make(map[string]time.Time)}
}

func (c *Collector) row(name string) *StageRow {
	r, ok := c.rows[name]
	if !ok {
		r = &StageRow{Name: name}
		c.rows[name] = r
	}
	return r
}

// Observe folds a progress update into the report.
func (c *Collector) Observe(u progress.Update) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.row(u.Stage)
	r.Done, r.Total = u.Done, u.Total
	if _, ok := c.start[u.Stage]; !ok {
		c.start[u.Stage] = u.At
	}
	r.Duration = u.At.Sub(c.start[u.Stage]).Round(time.Millisecond)
	if u.Err != nil {
		r.Err = u.Err.Error()
	}
}

// Note adds a free-form note.
func (c *Collector) Note(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// Report returns the collected data, stages sorted by name.
func (c *Collector) Report() Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reportLocked()
}

func (c *Collector) reportLocked() Report {
	r := Report{Title: c.title, Generated: time.Now(), Notes: append([]string(nil), c.notes...)}
	for _, row := range c.rows {
		r.Stages = append(r.Stages, *row)
	}
	sort.Slice(r.Stages, func(i, j int) bool { return r.Stages[i].Name < r.Stages[j].Name })
	return r
}

// Consume folds updates from ch until it is closed or ctx ends.
func (c *Collector) Consume(ctx context.Context, ch <-chan progress.Update) {
	for {
		select {
		case <-ctx.Done():
			return
		case u, ok := <-ch:
			if !ok {
				return
			}
			c.Observe(u)
		}
	}
}

// WriteTo renders the collected report.
func (c *Collector) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := Render(cw, c.Report())
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
