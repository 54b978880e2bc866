// Command status-exporter polls the dispatcher's /status endpoint and keeps
// the numbers in a file for the node exporter's textfile collector.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

type status struct {
	Pools        []string `json:"pools"`
	OpenBreakers int      `json:"open_breakers"`
	Pending      int      `json:"pending"`
	DeadLetters  int64    `json:"dead_letters"`
}

func main() {
	statusURL := flag.String("status-url", "http://127.0.0.1:8080/status", "dispatcher status endpoint")
	out := flag.String("out", "/var/lib/node_exporter/textfile/webhooks.prom", "output file")
	every := flag.Duration("every", 15*time.Second, "poll interval")
	flag.Parse()

	// Remove the file on the way out so stale numbers are not scraped.
	defer os.Remove(*out) // HAZ signal-skips-defer
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		if err := export(client, *statusURL, *out); err != nil {
			log.Printf("status-exporter: %v", err)
		}
		time.Sleep(*every)
	}
}

// fetch reads the dispatcher status.
func fetch(client *http.Client, url string) (*status, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	var st status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return &st, nil
}

// export writes the metrics atomically: temp file, then rename.
func export(client *http.Client, url, out string) error {
	st, err := fetch(client, url)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".webhooks-*.prom")
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(tmp,
		"webhooks_pools %d\nwebhooks_open_breakers %d\nwebhooks_pending %d\nwebhooks_dead_letters %d\n",
		len(st.Pools), st.OpenBreakers, st.Pending, st.DeadLetters)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return werr
	}
	return os.Rename(tmp.Name(), out)
}
