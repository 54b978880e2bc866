// Command dlq-replay posts dead-lettered records back to an ingestion
// endpoint, either from a local directory or from a replay manifest.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/consumer/retry"
)

type manifest struct {
	Segments []string `json:"segments"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fset := flag.NewFlagSet("dlq-replay", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := fset.String("dir", "dlq", "dead-letter directory")
	manifestURL := fset.String("manifest", "", "URL of a replay manifest listing segment files")
	target := fset.String("target", "", "URL that accepts replayed records")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *target == "" {
		fmt.Fprintln(stderr, "dlq-replay: -target is required")
		return 2
	}
	logger := log.New(stderr, "dlq-replay ", log.LstdFlags)
	client := &http.Client{Timeout: 10 * time.Second}

	var paths []string
	if *manifestURL != "" {
		m, err := fetchManifest(client, *manifestURL)
		if err != nil {
			logger.Printf("manifest: %v", err)
			return 1
		}
		for _, s := range m.Segments {
			paths = append(paths, filepath.Join(*dir, filepath.Base(s)))
		}
	} else {
		var err error
		if paths, err = filepath.Glob(filepath.Join(*dir, "*.jsonl")); err != nil {
			logger.Printf("glob: %v", err)
			return 1
		}
	}
	n, err := retry.ReplaySegments(paths, func(rec retry.Record) error {
		return postRecord(client, *target, rec)
	})
	logger.Printf("replayed %d records from %d segments", n, len(paths))
	if err != nil {
		logger.Printf("replay: %v", err)
		return 1
	}
	return 0
}

// getJSON performs a GET asking for JSON.
func getJSON(client *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return client.Do(req)
}

func fetchManifest(client *http.Client, url string) (*manifest, error) {
	resp, err := getJSON(client, url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("manifest %s: %s", url, resp.Status)
	}
	var m manifest
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", url, err)
	}
	return &m, nil
}

func postRecord(client *http.Client, target string, rec retry.Record) error {
	body, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	resp, err := client.Post(target, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s@%d: %s: %s", rec.Topic, rec.Offset, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
