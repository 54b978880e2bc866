// Command fsctl is the feature store's operator CLI.
//
//	fsctl get    [-addr host:port] KEY
//	fsctl put    [-addr host:port] [-version N] KEY VALUE
//	fsctl stats  [-admin URL]
//	fsctl schema [-admin URL] VIEW
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"time"

	"example.com/featurestore/internal/metrics"
	"example.com/featurestore/internal/schema"
	"example.com/featurestore/internal/serving"
)

var exitCode int

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "get":
		cmdGet(args)
	case "put":
		cmdPut(args)
	case "stats":
		cmdStats(args)
	case "schema":
		cmdSchema(args)
	default:
		usage()
		os.Exit(2)
	}
	os.Exit(exitCode)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fsctl get|put|stats|schema [flags] [args]")
}

// die prints an error and exits 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fsctl: "+format+"\n", args...)
	os.Exit(1)
}

func cmdGet(args []string) {
	fs := flag.NewFlagSet("get", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:7070", "feature server")
	timeout := fs.Duration("timeout", 2*time.Second, "request timeout")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		die("usage: fsctl get [-addr host:port] KEY")
	}
	c, err := serving.Dial(*addr, *timeout)
	if err != nil {
		die("dial %s: %v", *addr, err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	v, err := c.Get(ctx, fs.Arg(0))
	if err != nil {
		die("get %s: %v", fs.Arg(0), err) // HAZ exit-skips-defer
	}
	fmt.Printf("%s\t%x\n", fs.Arg(0), v)
}

func cmdPut(args []string) {
	fs := flag.NewFlagSet("put", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:7070", "feature server")
	version := fs.Int64("version", time.Now().UnixNano(), "value version")
	timeout := fs.Duration("timeout", 2*time.Second, "request timeout")
	_ = fs.Parse(args)
	if fs.NArg() != 2 {
		die("usage: fsctl put [-addr host:port] [-version N] KEY VALUE")
	}
	c, err := serving.Dial(*addr, *timeout)
	if err != nil {
		die("dial %s: %v", *addr, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	err = c.Put(ctx, fs.Arg(0), []byte(fs.Arg(1)), *version)
	cancel()
	c.Close()
	if err != nil {
		die("put %s: %v", fs.Arg(0), err)
	}
}

func cmdStats(args []string) {
	fs := flag.NewFlagSet("stats", flag.ExitOnError)
	adminURL := fs.String("admin", "http://127.0.0.1:7071", "admin API base URL")
	_ = fs.Parse(args)
	snap, err := fetchStats(*adminURL + "/metrics")
	if err != nil {
		die("stats: %v", err)
	}
	names := make([]string, 0, len(snap.Counters))
	for name := range snap.Counters {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Printf("%-32s %d\n", name, snap.Counters[name])
	}
}

// adminGet performs a GET against the admin API and returns the response
// only for 200 OK.
func adminGet(url string) (*http.Response, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp, nil
}

func fetchStats(url string) (metrics.Snapshot, error) {
	resp, err := adminGet(url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return metrics.Snapshot{}, err
	}
	var snap metrics.Snapshot
	err = json.NewDecoder(resp.Body).Decode(&snap)
	return snap, err
}

// timed returns a func that prints how long the command took.
func timed(label string) func() {
	start := time.Now()
	return func() {
		fmt.Fprintf(os.Stderr, "%s took %s\n", label, time.Since(start).Round(time.Millisecond))
	}
}

func cmdSchema(args []string) {
	fs := flag.NewFlagSet("schema", flag.ExitOnError)
	adminURL := fs.String("admin", "http://127.0.0.1:7071", "admin API base URL")
	verbose := fs.Bool("v", false, "print timing")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		die("usage: fsctl schema [-admin URL] VIEW")
	}
	resp, err := adminGet(*adminURL + "/v1/schemas/" + fs.Arg(0))
	if err != nil {
		die("schema: %v", err)
	}
	defer resp.Body.Close()
	if *verbose {
		defer timed("schema")()
	}
	var s schema.Schema
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		fmt.Fprintf(os.Stderr, "fsctl: schema: decode: %v\n", err)
		exitCode = 1
		return
	}
	fmt.Printf("%s v%d (entity %s, created %s)\n", s.Name, s.Version, s.Entity, s.Created.Format(time.RFC3339))
	for _, f := range s.Fields {
		fmt.Printf("  %-24s %-10s nullable=%s\n", f.Name, f.Type, strconv.FormatBool(f.Nullable))
	}
}
