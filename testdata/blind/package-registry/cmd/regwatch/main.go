// Command regwatch polls upstream for new versions of a list of watched
// modules and records them in a local index that the release dashboard reads.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"os"
	"strings"
	"time"

	"example.com/registry/internal/index"
	"example.com/registry/internal/upstream"
)

func main() {
	origin := flag.String("upstream", "https://proxy.golang.org", "origin registry")
	listPath := flag.String("modules", "/etc/regwatch/modules.txt", "file with one module path per line")
	out := flag.String("out", "/var/lib/regwatch/index.jsonl", "index of seen versions")
	every := flag.Duration("every", 5*time.Minute, "poll interval")
	flag.Parse()
	logger := log.New(os.Stderr, "regwatch ", log.LstdFlags|log.Lmsgprefix)

	mods := readList(*listPath)
	x, err := index.Load(*out)
	if errors.Is(err, fs.ErrNotExist) {
		x, err = index.New(), nil
	}
	if err != nil {
		logger.Fatalf("load %s: %v", *out, err)
	}
	defer saveWatched(x, *out, logger) // HAZ signal-skips-defer

	c := upstream.New(*origin, nil, 30*time.Second, logger)
	for {
		poll(c, x, mods, logger)
		time.Sleep(*every)
	}
}

// readList reads module paths, one per line; '#' starts a comment. A list
// that cannot be read is a deployment error, reported with a panic so the
// stack shows in the crash report.
func readList(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		log.Panicf("regwatch: %v", err)
	}
	defer f.Close()
	var mods []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			mods = append(mods, line)
		}
	}
	if err := sc.Err(); err != nil {
		log.Panicf("regwatch: %s: %v", path, err)
	}
	return mods
}

// poll records versions that appeared upstream since the last poll.
func poll(c *upstream.Client, x *index.Index, mods []string, logger *log.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, mod := range mods {
		versions, err := c.ListVersions(ctx, mod)
		if err != nil {
			logger.Printf("%s: %v", mod, err)
			continue
		}
		for _, v := range versions {
			if _, ok := x.Lookup(mod, v); ok {
				continue
			}
			x.Add(index.Entry{Module: mod, Version: v, Time: time.Now()})
			logger.Printf("new version %s@%s", mod, v)
		}
	}
}

// saveWatched persists the index.
func saveWatched(x *index.Index, path string, logger *log.Logger) {
	if err := x.SaveTo(path); err != nil {
		logger.Printf("save: %v", err)
	}
}
