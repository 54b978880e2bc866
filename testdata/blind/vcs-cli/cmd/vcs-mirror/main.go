// Command vcs-mirror keeps local mirrors of the remotes listed in a config
// file up to date.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/vcscli/internal/mirror"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

// readMirrors parses "name url interval" lines.
func readMirrors(path string) ([]mirror.Mirror, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mirror.Mirror
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s:%d: want \"name url interval\"", path, line)
		}
		every, err := time.ParseDuration(fields[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, mirror.Mirror{Name: fields[0], URL: fields[1], Interval: every})
	}
	return out, sc.Err()
}

func main() {
	root := flag.String("repo", ".", "repository receiving the mirrored objects")
	list := flag.String("mirrors", "mirrors.conf", "file listing the mirrors")
	status := flag.String("status-url", "", "URL to post heartbeats to")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatal(err)
	}
	mirrors, err := readMirrors(*list)
	if err != nil {
		log.Fatal(err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "mirror"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Rollback()

	logger := log.New(os.Stderr, "vcs-mirror: ", log.LstdFlags)
	s := mirror.NewSyncer(r.Objects, mirrors, *status, logger)
	go s.Loop(context.Background())
	if *status != "" {
		go s.Heartbeat(time.Minute)
	}
	logger.Printf("following %d mirrors", len(mirrors))
	select {} // HAZ signal-skips-defer
}
