// Command faas-replay replays recorded invocations from a JSON-lines file
// against faasd and prints one tab-separated result line per record.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/faas/internal/router"
)

// readRecords loads the records file.
func readRecords(path string) ([]router.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []router.Record
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var rec router.Record
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", path, len(recs), err)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// replay sends one record and returns the function's output.
func replay(client *http.Client, server string, rec router.Record) ([]byte, error) {
	resp, err := client.Post(server+"/v1/invoke/"+rec.Function, "application/octet-stream", bytes.NewReader(rec.Payload))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(out))
	}
	return out, nil
}

func main() {
	server := flag.String("server", "http://127.0.0.1:8080", "faasd address")
	keepGoing := flag.Bool("k", false, "keep going after a failed record")
	flag.Parse()
	logger := log.New(os.Stderr, "faas-replay: ", 0)
	if flag.NArg() != 1 {
		logger.Fatalf("usage: faas-replay [-server URL] [-k] records.jsonl")
	}
	recs, err := readRecords(flag.Arg(0))
	if err != nil {
		logger.Fatalf("%v", err)
	}

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	client := &http.Client{Timeout: 30 * time.Second}
	for i, rec := range recs {
		res, err := replay(client, *server, rec)
		if err != nil && !*keepGoing {
			logger.Fatalf("record %d (%s): %v", i, rec.Function, err) // HAZ exit-skips-defer
		}
		status := "ok"
		if err != nil {
			status = err.Error()
		}
		fmt.Fprintf(out, "%d\t%s\t%d\t%s\n", i, rec.Function, len(res), status)
	}
	if err := out.Flush(); err != nil {
		logger.Printf("write results: %v", err)
	}
}
