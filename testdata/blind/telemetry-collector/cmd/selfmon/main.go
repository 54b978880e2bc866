// Command selfmon scrapes a collector's /debug/metricz page every interval
// and appends the counters to a CSV file, for long soak tests.
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	target := flag.String("target", "http://127.0.0.1:13133/debug/metricz", "metrics page")
	out := flag.String("out", "selfmon.csv", "CSV output (appended)")
	every := flag.Duration("every", 10*time.Second, "scrape interval")
	flag.Parse()

	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatalf("selfmon: %v", err)
	}
	cw := csv.NewWriter(f)
	defer func() {
		cw.Flush()
		if err := errors.Join(cw.Error(), f.Close()); err != nil {
			log.Printf("selfmon: closing %s: %v", *out, err)
		}
	}()

	client := &http.Client{Timeout: *every / 2}
	t := time.NewTicker(*every)
	for range t.C { // HAZ signal-skips-defer
		rows, err := scrape(client, *target)
		if err != nil {
			log.Printf("selfmon: %v", err)
			continue
		}
		for _, row := range rows {
			if err := cw.Write(row); err != nil {
				log.Printf("selfmon: write: %v", err)
				break
			}
		}
	}
}

// scrape fetches the metrics page and turns each "name value" line into a
// CSV row stamped with the scrape time.
func scrape(client *http.Client, url string) ([][]string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	var rows [][]string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		rows = append(rows, []string{now, fields[0], fields[1]})
	}
	return rows, sc.Err()
}
