// Command replay re-sends the GET requests of an access log to a staging
// server and writes one CSV row per request.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// readPaths extracts the GET paths from an access log.
func readPaths(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var paths []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 4 && fields[2] == `"GET` {
			paths = append(paths, strings.TrimSuffix(fields[3], `"`))
		}
	}
	return paths, sc.Err()
}

func replayOne(client *http.Client, base, path string) (int, time.Duration, error) {
	start := time.Now()
	resp, err := client.Get(base + path)
	if err != nil {
		return 0, time.Since(start), err
	}
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}

func main() {
	logger := log.New(os.Stderr, "replay ", log.LstdFlags|log.Lmsgprefix)
	logPath := flag.String("log", "data/access.log", "access log to replay")
	base := flag.String("target", "http://127.0.0.1:8080", "staging server")
	outPath := flag.String("o", "replay.csv", "result file")
	maxFail := flag.Float64("max-fail", 0.05, "failure ratio that fails the run")
	flag.Parse()

	paths, err := readPaths(*logPath)
	if err != nil {
		logger.Fatalf("reading %s: %v", *logPath, err)
	}
	out, err := os.Create(*outPath)
	if err != nil {
		logger.Fatalf("%v", err)
	}
	cw := csv.NewWriter(out)
	defer func() {
		cw.Flush()
		if err := cw.Error(); err != nil {
			logger.Printf("writing %s: %v", *outPath, err)
		}
		if err := out.Close(); err != nil {
			logger.Printf("closing %s: %v", *outPath, err)
		}
	}()

	client := &http.Client{Timeout: 5 * time.Second}
	failed := 0
	for _, p := range paths {
		status, took, err := replayOne(client, *base, p)
		if err != nil || status >= 500 {
			failed++
		}
		_ = cw.Write([]string{p, strconv.Itoa(status), took.String()})
	}
	if len(paths) > 0 && float64(failed)/float64(len(paths)) > *maxFail {
		logger.Fatalf("%d of %d requests failed", failed, len(paths)) // HAZ exit-skips-defer
	}
	logger.Printf("replayed %d requests, %d failed", len(paths), failed)
}
