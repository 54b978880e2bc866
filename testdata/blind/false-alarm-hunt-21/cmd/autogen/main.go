// Command autogen re-runs a generator command whenever a file under the
// watched directories changes. It is meant to run in a spare terminal for
// the whole working session.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/fah21/internal/fsx"
)

func main() {
	dirs := flag.String("watch", "specs,templates", "comma-separated directories to watch")
	every := flag.Duration("every", 2*time.Second, "poll interval")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: autogen [-watch dirs] [-every d] command [args...]")
		os.Exit(2)
	}

	pidFile := filepath.Join(os.TempDir(), "autogen.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "autogen:", err)
		os.Exit(1)
	}
	defer os.Remove(pidFile) // HAZ signal-skips-defer

	last := make(map[string]time.Time)
	for {
		if changed := scan(strings.Split(*dirs, ","), last); len(changed) > 0 {
			fmt.Printf("autogen: %d changed, running %s\n", len(changed), strings.Join(flag.Args(), " "))
			if err := regenerate(flag.Args()); err != nil {
				fmt.Fprintln(os.Stderr, "autogen:", err)
			}
		}
		time.Sleep(*every)
	}
}

// scan returns the directories whose newest modification time moved since
// the previous scan.
func scan(dirs []string, last map[string]time.Time) []string {
	var changed []string
	for _, d := range dirs {
		t, err := fsx.NewestModTime(d)
		if err != nil {
			continue
		}
		if prev, ok := last[d]; !ok || t.After(prev) {
			changed = append(changed, d)
		}
		last[d] = t
	}
	return changed
}

// regenerate runs the generator command with a time limit, streaming its
// output to the terminal.
func regenerate(argv []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return cmd.Run()
}
