// Command telemetry-dump summarises telemetry segment files written by
// fleetd, optionally exporting them as CSV.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/fleet/internal/telemetry"
)

type stat struct {
	Count int     `json:"count"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "follow" {
		follow(os.Args[2], 10*time.Second)
		return
	}
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "telemetry-dump:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("telemetry-dump", flag.ContinueOnError)
	dir := fs.String("dir", "", "segment directory (instead of file arguments)")
	csvOut := fs.String("csv", "", "also export all samples to this CSV file")
	jsonOut := fs.String("json", "", "write the summary as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	paths := fs.Args()
	if *dir != "" {
		var err error
		if paths, err = telemetry.ListSegments(*dir); err != nil {
			return err
		}
	}
	if len(paths) == 0 {
		return errors.New("no segments given")
	}
	var all []telemetry.Sample
	for _, p := range paths {
		s, err := telemetry.ReadSegment(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		all = append(all, s...)
	}
	if *csvOut != "" {
		if err := telemetry.ExportCSV(*csvOut, all); err != nil {
			return err
		}
	}
	sum := summarize(all)
	if *jsonOut != "" {
		if err := writeJSONReport(*jsonOut, sum); err != nil {
			return err
		}
	}
	return printSummary(stdout, sum)
}

func summarize(samples []telemetry.Sample) map[string]*stat {
	out := make(map[string]*stat)
	for _, s := range samples {
		key := s.DeviceID + "/" + s.Metric
		st := out[key]
		if st == nil {
			st = &stat{Min: math.Inf(1), Max: math.Inf(-1)}
			out[key] = st
		}
		st.Count++
		st.Min = math.Min(st.Min, s.Value)
		st.Max = math.Max(st.Max, s.Value)
		st.Mean += (s.Value - st.Mean) / float64(st.Count)
	}
	return out
}

func printSummary(w io.Writer, sum map[string]*stat) error {
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SERIES\tCOUNT\tMIN\tMAX\tMEAN\t")
	for _, k := range keys {
		s := sum[k]
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t\n", k, s.Count, s.Min, s.Max, s.Mean)
	}
	return tw.Flush()
}

// writeJSONReport writes the summary; the close error is part of the
// result because the report is useless if it was cut short.
func writeJSONReport(path string, sum map[string]*stat) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(sum)
}

// fatalf reports an unrecoverable error and exits.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "telemetry-dump: "+format+"\n", args...)
	os.Exit(1)
}

// follow prints a summary of every new segment that appears in dir. The
// name of the last segment printed is kept in dir/.dump-cursor so that a
// restart continues where it stopped.
func follow(dir string, every time.Duration) {
	cursorFile := filepath.Join(dir, ".dump-cursor")
	cursor := ""
	if b, err := os.ReadFile(cursorFile); err == nil {
		cursor = strings.TrimSpace(string(b))
	}
	defer func() {
		if err := os.WriteFile(cursorFile, []byte(cursor+"\n"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "telemetry-dump: saving cursor:", err)
		}
	}()
	for {
		paths, err := telemetry.ListSegments(dir)
		if err != nil {
			fatalf("list %s: %v", dir, err) // HAZ exit-skips-defer
		}
		for _, p := range paths {
			if p <= cursor {
				continue
			}
			samples, err := telemetry.ReadSegment(p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "telemetry-dump: %s: %v\n", p, err)
				continue
			}
			fmt.Printf("== %s\n", filepath.Base(p))
			printSummary(os.Stdout, summarize(samples))
			cursor = p
		}
		time.Sleep(every)
	}
}
