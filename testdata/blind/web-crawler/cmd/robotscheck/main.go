// Command robotscheck tells whether URLs may be crawled under their hosts'
// robots.txt and can write the verdicts to a TSV report.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"example.com/crawler/internal/robots"
)

type verdict struct {
	URL     string
	Allowed bool
	Err     error
}

func main() {
	agent := flag.String("agent", "politecrawler", "user agent to check for")
	timeout := flag.Duration("timeout", 30*time.Second, "overall timeout")
	report := flag.String("report", "", "also write a TSV report to this file")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("usage: robotscheck [-agent name] [-report file] URL...")
	}

	code := 0
	defer func() { os.Exit(code) }()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	cache := robots.NewCache(nil, *agent, "", time.Hour, nil)
	var rows []verdict
	for _, raw := range flag.Args() {
		v := check(ctx, cache, raw)
		if v.Err != nil {
			code = 1
			fmt.Printf("%s\terror: %v\n", v.URL, v.Err)
		} else {
			fmt.Printf("%s\tallowed=%t\n", v.URL, v.Allowed)
		}
		rows = append(rows, v)
	}
	if *report != "" {
		writeReport(*report, rows)
	}
}

// check asks the cache about one URL.
func check(ctx context.Context, cache *robots.Cache, raw string) verdict {
	u, err := url.Parse(raw)
	if err != nil {
		return verdict{URL: raw, Err: err}
	}
	if u.Host == "" {
		return verdict{URL: raw, Err: errors.New("not an absolute URL")}
	}
	ok, err := cache.Allowed(ctx, u)
	return verdict{URL: raw, Allowed: ok, Err: err}
}

// writeReport writes the verdicts as TSV to a temporary file and renames it
// into place.
func writeReport(path string, rows []verdict) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".robotscheck-*")
	if err != nil {
		die("report: %v", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	for _, v := range rows {
		status := fmt.Sprint(v.Allowed)
		if v.Err != nil {
			status = "error: " + v.Err.Error()
		}
		fmt.Fprintf(bw, "%s\t%s\n", v.URL, status)
	}
	err = errors.Join(bw.Flush(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		die("report %s: %v", path, err) // HAZ exit-skips-defer
	}
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "robotscheck: "+format+"\n", args...)
	os.Exit(1)
}
