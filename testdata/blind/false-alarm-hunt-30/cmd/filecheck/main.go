// Command filecheck verifies files written by the file exporter: every line
// (plain or gzipped) must be a span batch, and span timestamps must be sane.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/fah30/pdata"
)

var errCorrupt = errors.New("corrupt file")

type stats struct {
	batches int
	spans   int
}

type result struct {
	path  string
	stats stats
	err   error
}

func main() {
	strict := flag.Bool("strict", false, "stop at the first bad file")
	workers := flag.Int("workers", 1, "files checked in parallel (ignores -strict)")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	rep := newReport(os.Stdout)
	ok := true
	if *workers > 1 {
		for _, res := range checkParallel(flag.Args(), *workers) {
			rep.Add(res)
			ok = ok && res.err == nil
		}
	} else {
		ok = verifyAll(rep, flag.Args(), *strict)
	}
	if err := rep.Close(); err != nil {
		log.Fatalf("filecheck: write report: %v", err)
	}
	if !ok {
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: filecheck [-strict] [-workers N] FILE...\n")
	flag.PrintDefaults()
}

// die reports a fatal problem and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "filecheck: "+format+"\n", args...)
	os.Exit(1)
}

// checkFile decodes every batch of path.
func checkFile(path string) (stats, error) {
	var st stats
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return st, fmt.Errorf("%w: %v", errCorrupt, err)
		}
		defer zr.Close()
		r = zr
	}
	dec := json.NewDecoder(r)
	for {
		var b pdata.Batch
		if err := dec.Decode(&b); err == io.EOF {
			return st, nil
		} else if err != nil {
			return st, fmt.Errorf("%w: batch %d: %v", errCorrupt, st.batches+1, err)
		}
		for _, s := range b.Spans {
			if s.EndNanos < s.StartNanos {
				return st, fmt.Errorf("%w: span %s ends before it starts", errCorrupt, s.SpanID)
			}
		}
		st.batches++
		st.spans += b.Len()
	}
}

// verifyAll checks the files one after the other and prints a footer with
// the totals when done.
func verifyAll(rep *report, paths []string, strict bool) bool {
	start := time.Now()
	defer func() { rep.Footer(len(paths), time.Since(start)) }()
	ok := true
	for _, p := range paths {
		st, err := checkFile(p)
		rep.Add(result{path: p, stats: st, err: err})
		if err != nil {
			ok = false
			if strict {
				die("%s: %v", p, err) // HAZ exit-skips-defer
			}
		}
	}
	return ok
}

// checkParallel checks paths with n workers; results keep the input order.
func checkParallel(paths []string, n int) []result {
	results := make([]result, len(paths))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				st, err := checkFile(paths[i])
				results[i] = result{path: paths[i], stats: st, err: err}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	for i := range paths {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// report prints one line per file and a footer; write errors surface in
// Close.
type report struct {
	bw  *bufio.Writer
	bad int
}

func newReport(w io.Writer) *report {
	return &report{bw: bufio.NewWriter(w)}
}

func (r *report) Add(res result) {
	if res.err != nil {
		r.bad++
		fmt.Fprintf(r.bw, "FAIL %s: %v\n", res.path, res.err)
		return
	}
	fmt.Fprintf(r.bw, "ok   %s: %d batches, %d spans\n", res.path, res.stats.batches, res.stats.spans)
}

func (r *report) Footer(files int, took time.Duration) {
	fmt.Fprintf(r.bw, "%d files, %d bad, %s\n", files, r.bad, took.Round(time.Millisecond))
}

func (r *report) Close() error {
	return r.bw.Flush()
}
