// Command reportgen scans job result logs and writes daily reports in CSV,
// text and gzip JSON form. Exit status: 0 ok, 1 error, 3 some jobs failed.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/falsealarm6/internal/progress"
	"example.com/falsealarm6/internal/report"
)

const exitJobsFailed = 3

func main() {
	code := 1
	// Registered first, so it runs last: every later defer has already run.
	defer func() { os.Exit(code) }()

	in := flag.String("in", "/var/log/cronrun.log", "result log")
	out := flag.String("out", ".", "output directory")
	day := flag.String("day", time.Now().Format("2006-01-02"), "day to report")
	quiet := flag.Bool("q", false, "no progress output")
	flag.Parse()

	code = generate(*in, *out, *day, *quiet)
}

// generate builds the reports and returns the exit status.
func generate(in, outDir, day string, quiet bool) int {
	rows, err := readResults(in, day)
	if err != nil {
		log.Printf("reportgen: %v", err)
		return 1
	}
	sum := report.NewSummary("daily-"+day, time.Now())
	var c progress.Counter
	c.SetTotal(int64(len(rows)))
	work := func() error {
		for _, r := range rows {
			sum.Add(r)
			c.Inc(r.Bytes)
		}
		return writeAll(outDir, day, sum)
	}
	if quiet {
		err = work()
	} else {
		err = progress.Track(os.Stderr, &c, 200*time.Millisecond, work)
	}
	if err != nil {
		log.Printf("reportgen: %v", err)
		return 1
	}
	if sum.Failed() > 0 {
		return exitJobsFailed
	}
	return 0
}

// readResults parses "TIME NAME exit=N dur=D" lines for one day.
func readResults(path, day string) ([]report.Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []report.Row
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		r, ok := parseLine(sc.Text(), day)
		if ok {
			rows = append(rows, r)
		}
	}
	return rows, sc.Err()
}

func parseLine(line, day string) (report.Row, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || !strings.HasPrefix(fields[0], day) {
		return report.Row{}, false
	}
	r := report.Row{Name: fields[1], Status: "ok"}
	if code := strings.TrimPrefix(fields[2], "exit="); code != "0" {
		r.Status = "failed"
		r.Err = "exit " + code
	}
	if d, err := time.ParseDuration(strings.TrimPrefix(fields[3], "dur=")); err == nil {
		r.Duration = d
	}
	return r, true
}

// writeAll writes the three report formats and joins their errors.
func writeAll(dir, day string, sum *report.Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, "report-"+day)
	return errors.Join(
		report.WriteCSV(base+".csv", sum),
		report.WriteText(base+".txt", sum),
		report.WriteJSONGz(base+".jsonl.gz", sum),
		writeIndex(dir, day),
	)
}

// writeIndex appends the day to index.txt; the buffered writer is flushed
// and the file closed with both errors checked.
func writeIndex(dir, day string) (err error) {
	f, err := os.OpenFile(filepath.Join(dir, "index.txt"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close index: %w", cerr))
		}
	}()
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "%s\treport-%s.txt\n", day, day)
	return w.Flush()
}
