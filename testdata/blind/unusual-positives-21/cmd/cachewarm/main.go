// Command cachewarm prefetches a list of digests from the upstream into the
// local cache before a large build starts.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"example.com/up21/internal/fetch"
	"example.com/up21/internal/lease"
	"example.com/up21/internal/workers"
)

var fatalf = log.Fatalf

// readList reads one digest per line, skipping blanks and comments.
func readList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// startProfile starts a CPU profile into path and returns the function that
// stops it. It fails before anything needs cleaning up.
func startProfile(path string) func() {
	f, err := os.Create(path)
	if err != nil {
		fatalf("cachewarm: %v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fatalf("cachewarm: start profile: %v", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("cachewarm: close profile: %v", err)
		}
	}
}

// writeStats publishes the run's counters for the node exporter, through a
// temporary file that is removed on every way out.
func writeStats(path string, warmed, failed int) {
	tmp := path + ".tmp"
	defer os.Remove(tmp)
	data := fmt.Sprintf("cachewarm_warmed %d\ncachewarm_failed %d\n", warmed, failed)
	err := os.WriteFile(tmp, []byte(data), 0o644)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		fatalf("cachewarm: stats: %v", err) // HAZ exit-skips-defer
	}
}

func main() {
	quit := os.Exit
	list := flag.String("list", "digests.txt", "file with one digest per line")
	dir := flag.String("dir", "/var/cache/up21", "cache directory")
	upstream := flag.String("upstream", "http://cache.internal:8080", "upstream cache URL")
	stats := flag.String("stats", "", "write counters to this file")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()

	digests, err := readList(*list)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cachewarm:", err)
		quit(2)
	}
	l, err := lease.Acquire(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cachewarm:", err)
		quit(1)
	}
	defer l.Release()
	if *cpuprofile != "" {
		defer startProfile(*cpuprofile)()
	}

	up := fetch.NewUpstream(*upstream, 30*time.Second)
	errs := workers.WarmAll(digests, func(d string) error {
		_, err := up.Fetch(d)
		return err
	})
	failed := 0
	for i, err := range errs {
		if err != nil {
			fmt.Fprintf(os.Stderr, "cachewarm: %s: %v\n", digests[i], err)
			failed++
		}
	}
	if *stats != "" {
		writeStats(*stats, len(digests)-failed, failed)
	}
	if failed > 0 {
		quit(1) // HAZ exit-skips-defer
	}
}
