package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah21/internal/fsx"
)

// cmdWatch polls a directory and prints the files whose contents changed,
// until SIGINT or SIGTERM.
func cmdWatch(args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	every := fs.Duration("every", time.Second, "poll interval")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root := "."
	if fs.NArg() > 0 {
		root = fs.Arg(0)
	}
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	t := time.NewTicker(*every)
	defer t.Stop()

	last := make(map[string]string)
	if _, err := pollOnce(root, last); err != nil {
		return err
	}
	for {
		select {
		case <-sigc:
			return nil
		case <-t.C:
			changed, err := pollOnce(root, last)
			if err != nil {
				return err
			}
			for _, p := range changed {
				fmt.Println("changed:", p)
			}
		}
	}
}

// pollOnce hashes root and returns the paths whose hash differs from last,
// updating last in place.
func pollOnce(root string, last map[string]string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sums, err := fsx.HashTree(ctx, root, 4)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, s := range sums {
		if s.Err != nil {
			continue
		}
		if prev, ok := last[s.Path]; ok && prev != s.Hex {
			changed = append(changed, s.Path)
		}
		last[s.Path] = s.Hex
	}
	return changed, nil
}
