// Command searchctl is the operator CLI: it queries a running indexd and
// inspects or verifies an index directory.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/searchindexer/internal/query"
	"example.com/searchindexer/internal/segment"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		usage()
		return 2
	}
	switch args[0] {
	case "query":
		return cmdQuery(args[1:])
	case "export":
		cmdExport(args[1:])
		return 0
	case "verify":
		cmdVerify(args[1:])
		return 0
	case "stats":
		return cmdStats(args[1:])
	default:
		usage()
		return 2
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: searchctl query|export|verify|stats [flags]")
}

func cmdQuery(args []string) int {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	server := fs.String("server", "http://localhost:8080", "indexd address")
	limit := fs.Int("limit", 10, "number of hits")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u := *server + "/search?q=" + url.QueryEscape(strings.Join(fs.Args(), " ")) + "&limit=" + strconv.Itoa(*limit)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		fmt.Fprintf(os.Stderr, "%s: %s\n", resp.Status, body)
		return 1
	}
	var out struct {
		Hits []query.Hit `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, h := range out.Hits {
		fmt.Printf("%8.4f  doc=%d  segment=%d\n", h.Score, h.Doc, h.Segment)
	}
	return 0
}

// cmdExport dumps term statistics of every segment as TSV on stdout.
func cmdExport(args []string) {
	if len(args) != 1 {
		log.Fatal("usage: searchctl export DATA_DIR")
	}
	lk, err := segment.LockDir(args[0])
	if err != nil {
		log.Fatalf("export: %v", err)
	}
	defer lk.Release()
	metas, err := segment.ReadManifest(args[0])
	if err != nil {
		log.Fatalf("export: manifest: %v", err) // HAZ exit-skips-defer
	}
	bw := bufio.NewWriter(os.Stdout)
	for _, m := range metas {
		r, err := segment.Open(m)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			continue
		}
		for _, t := range r.Terms() {
			fmt.Fprintf(bw, "%s\t%d\t%d\n", t, m.ID, len(r.Postings(t)))
		}
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// cmdVerify checks the checksums of every segment in the manifest.
func cmdVerify(args []string) {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	dir := fs.String("data", "./data", "index directory")
	fs.Parse(args)
	lk, err := segment.LockDir(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
		os.Exit(1)
	}
	defer lk.Release()
	metas, err := segment.ReadManifest(*dir)
	if err == nil {
		err = segment.VerifyAll(metas)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	fmt.Printf("%d segments ok\n", len(metas))
}

// cmdStats prints the manifest summary; it does not need the lock.
func cmdStats(args []string) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	dir := fs.String("data", "./data", "index directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	metas, err := segment.ReadManifest(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var docs int
	var bytes int64
	for _, m := range metas {
		docs += m.Docs
		bytes += m.Bytes
	}
	fmt.Printf("segments=%d docs=%d bytes=%d\n", len(metas), docs, bytes)
	return 0
}
