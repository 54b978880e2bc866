package testrunner

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"
)

// Summary aggregates results.
type Summary struct {
	Packages int
	Passed   int
	Failed   int
	Skipped  int
	Failing  []string
}

// Summarize folds results into a Summary.
func Summarize(results []Result) Summary {
	var s Summary
	for _, r := range results {
		s.Packages++
		s.Passed += r.Passed
		s.Failed += r.Failed
		s.Skipped += r.Skipped
		if !r.OK() {
			s.Failing = append(s.Failing, r.Package)
		}
	}
	sort.Strings(s.Failing)
	return s
}

// Print writes a human summary.
func (s Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "%d packages, %d passed, %d failed, %d skipped\n", s.Packages, s.Passed, s.Failed, s.Skipped)
	for _, p := range s.Failing {
		fmt.Fprintf(w, "FAIL %s\n", p)
	}
}

// WriteCSV writes one row per package.
func WriteCSV(path string, results []Result) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	if err := w.Write([]string{"package", "passed", "failed", "skipped", "seconds"}); err != nil {
		return err
	}
	for _, r := range results {
		row := []string{r.Package, strconv.Itoa(r.Passed), strconv.Itoa(r.Failed), strconv.Itoa(r.Skipped),
			strconv.FormatFloat(r.Elapsed.Seconds(), 'f', 2, 64)}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSVChecked flushes explicitly and checks the writer error.
func WriteCSVChecked(path string, results []Result) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	w.Write([]string{"package", "ok"})
	for _, r := range results {
		w.Write([]string{r.Package, strconv.FormatBool(r.OK())})
	}
	w.Flush()
	return w.Error()
}

type junitSuite struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Time     string   `xml:"time,attr"`
}

// WriteJUnit writes a minimal JUnit XML document; Close is checked on the
// success path and the deferred Close only covers early returns.
func WriteJUnit(path string, results []Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.WriteString(f, xml.Header+"<testsuites>\n"); err != nil {
		return err
	}
	enc := xml.NewEncoder(f)
	enc.Indent("  ", "  ")
	for _, r := range results {
		s := junitSuite{Name: r.Package, Tests: r.Passed + r.Failed + r.Skipped, Failures: r.Failed,
			Skipped: r.Skipped, Time: strconv.FormatFloat(r.Elapsed.Seconds(), 'f', 3, 64)}
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(f, "\n</testsuites>\n"); err != nil {
		return err
	}
	return f.Close()
}

// WriteJSON writes results as JSON to w (the caller owns w).
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// LoadJSON reads a results file written by WriteJSON.
func LoadJSON(path string) ([]Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var res []Result
	return res, json.NewDecoder(f).Decode(&res)
}

// Collector accumulates results from concurrent runs.
type Collector struct {
	mu      sync.RWMutex
	results map[string]Result
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	return &Collector{results: make(map[string]Result)}
}

// Add records a result.
func (c *Collector) Add(r Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results[r.Package] = r
}

// Get returns the result of pkg.
func (c *Collector) Get(pkg string) (Result, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.results[pkg]
	return r, ok
}

// Failing returns the failing packages.
func (c *Collector) Failing() []string {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	var out []string
	for p, r := range c.results {
		if !r.OK() {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// Snapshot returns a copy of all results.
func (c *Collector) Snapshot() []Result {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Result, 0, len(c.results))
	for _, r := range c.results {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Package < out[j].Package })
	return out
}

// Summary folds the snapshot; Snapshot takes the read lock itself, nothing
// is held here.
func (c *Collector) Summary() Summary {
	return Summarize(c.Snapshot())
}

// Reset drops all results.
func (c *Collector) Reset() {
	c.mu.Lock()
	c.results = make(map[string]Result)
	c.mu.Unlock()
}
