// Package report renders tabular reports as CSV or plain text.
package report

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Reporter accumulates rows with a fixed number of columns.
type Reporter struct {
	mu   sync.Mutex
	cols int
	rows [][]string
	once sync.Once
}

// New returns a reporter for rows of cols columns.
func New(cols int) *Reporter {
	return &Reporter{cols: cols}
}

// Add appends one row. Rows of the wrong width are a programming error.
func (r *Reporter) Add(row []string) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if len(row) != r.cols {
		panic(fmt.Sprintf("report: row has %d columns, want %d", len(row), r.cols))
	}
	r.rows = append(r.rows, row)
	r.mu.Unlock()
}

// ErrWidth is returned by TryAdd for rows of the wrong width.
var ErrWidth = errors.New("report: wrong row width")

// TryAdd appends one row or reports a width mismatch.
func (r *Reporter) TryAdd(row []string) error {
	if len(row) != r.cols {
		return ErrWidth
	}
	r.mu.Lock()
	r.rows = append(r.rows, row)
	r.mu.Unlock()
	return nil
}

// Rows returns a copy of the rows sorted by the first column.
func (r *Reporter) Rows() [][]string {
	r.mu.Lock()
	out := make([][]string, len(r.rows))
	copy(out, r.rows)
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// track logs how long the named step took, once the returned func runs.
func (r *Reporter) track(step string) func() {
	start := time.Now()
	return func() { log.Printf("report: %s took %v", step, time.Since(start)) }
}

// WriteCSV writes rows as CSV to out.
func WriteCSV(out io.Writer, rows [][]string) error {
	w := csv.NewWriter(out)
	defer w.Flush() // HAZ defer-close-unchecked-write
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSVChecked writes rows as CSV and reports buffered write errors.
func WriteCSVChecked(out io.Writer, rows [][]string) error {
	w := csv.NewWriter(out)
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// Export writes the report as CSV and records the time taken.
func (r *Reporter) Export(out io.Writer) error {
	defer r.track("export") // HAZ defer-func-result-not-called
	return WriteCSVChecked(out, r.Rows())
}

// ExportText writes the report as aligned text and records the time taken.
func (r *Reporter) ExportText(out io.Writer) error {
	defer r.track("text")()
	for _, row := range r.Rows() {
		if _, err := fmt.Fprintln(out, strings.Join(row, "\t")); err != nil {
			return err
		}
	}
	return nil
}

var footers = map[string]func(io.Writer){
	"csv":  func(w io.Writer) {},
	"text": func(w io.Writer) { fmt.Fprintln(w, "-- end of report --") },
}

// Render writes the report in the named format followed by its footer.
func (r *Reporter) Render(format string, out io.Writer) error {
	defer footers[format](out) // HAZ defer-nil-func
	if format == "csv" {
		return WriteCSVChecked(out, r.Rows())
	}
	return r.ExportText(out)
}

// RenderKnown writes the report and a footer only for known formats.
func (r *Reporter) RenderKnown(format string, out io.Writer) error {
	footer, ok := footers[format]
	if !ok {
		return fmt.Errorf("report: unknown format %q", format)
	}
	defer footer(out) // ok: checked above
	if format == "csv" {
		return WriteCSVChecked(out, r.Rows())
	}
	return r.ExportText(out)
}

// SafeRender renders and converts a panic into an error, once per reporter.
func (r *Reporter) SafeRender(format string, out io.Writer) (err error) {
	defer func() {
		r.once.Do(func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				err = fmt.Errorf("report: render panicked: %v", v)
			}
		})
	}()
	return r.RenderKnown(format, out)
}

// GuardedRender renders and converts a panic into an error.
func (r *Reporter) GuardedRender(format string, out io.Writer) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("report: render panicked: %v", v)
		}
	}()
	return r.RenderKnown(format, out)
}

func summarize(rows [][]string) string {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString(row[0])
		b.WriteByte(' ')
	}
	return b.String()
}

func validate(rows [][]string) error {
	for i, row := range rows {
		if len(row) == 0 {
			return fmt.Errorf("report: row %d is empty", i)
		}
	}
	return nil
}

// Summary computes a summary in the background while rows are validated.
func Summary(rows [][]string) (string, error) {
	ch := make(chan string)
	go func() { ch <- summarize(rows) }() // HAZ goroutine-blocked-send
	if err := validate(rows); err != nil {
		return "", err
	}
	return <-ch, nil
}

// SummaryBuffered is Summary with a one-slot channel.
func SummaryBuffered(rows [][]string) (string, error) {
	ch := make(chan string, 1)
	go func() { ch <- summarize(rows) }()
	if err := validate(rows); err != nil {
		return "", err
	}
	return <-ch, nil
}

// Section is a named part of a report fetched from a URL.
type Section struct {
	Name string
	URL  string
}

// FetchSections downloads every section body, one at a time.
func FetchSections(ctx context.Context, sections []Section) (map[string][]byte, error) {
	out := make(map[string][]byte, len(sections))
	for _, sec := range sections {
		b, err := fetchOne(ctx, sec)
		if err != nil {
			return nil, err
		}
		out[sec.Name] = b
	}
	return out, nil
}

func fetchOne(ctx context.Context, sec Section) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, sec.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", sec.URL, resp.Status)
	}
	return ioutil.ReadAll(resp.Body)
}

// FetchSectionsParallel downloads every section body concurrently.
func FetchSectionsParallel(ctx context.Context, sections []Section) map[string][]byte {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string][]byte, len(sections))
	)
	for _, sec := range sections {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			b, err := fetchOne(ctx, sec)
			if err != nil {
				log.Printf("report: section %s: %v", sec.Name, err)
				return
			}
			mu.Lock()
			out[sec.Name] = b
			mu.Unlock()
		}()
		log.Printf("report: fetching %s", sec.Name)
	}
	wg.Wait()
	return out
}

// FetchSectionsCopied is FetchSectionsParallel with a per-iteration copy.
func FetchSectionsCopied(ctx context.Context, sections []Section) map[string][]byte {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string][]byte, len(sections))
	)
	for i := range sections {
		sec := sections[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := fetchOne(ctx, sec)
			if err != nil {
				log.Printf("report: section %s: %v", sec.Name, err)
				return
			}
			mu.Lock()
			out[sec.Name] = b
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
