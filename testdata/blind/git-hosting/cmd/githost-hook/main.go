// Command githost-hook is installed as the pre-receive hook of every
// repository (under that name); it runs the server-wide hooks registered for
// the event and rejects the push when one of them fails.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/githost/internal/hooks"
)

// pushMarker tells maintenance jobs that a push is being checked.
const pushMarker = "githost-push-in-progress"

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newRunner() *hooks.Runner {
	return hooks.NewRunner(
		envOr("GITHOST_HOOKS", "/etc/githost/hooks"),
		envOr("GITHOST_HOOK_LOGS", os.TempDir()),
		time.Minute,
		log.New(os.Stderr, "githost-hook: ", 0),
	)
}

func main() {
	event := filepath.Base(os.Args[0])
	repoDir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "githost-hook: %v\n", err)
		os.Exit(1)
	}
	payload, err := io.ReadAll(io.LimitReader(os.Stdin, 16<<20))
	if err != nil {
		fmt.Fprintf(os.Stderr, "githost-hook: reading ref updates: %v\n", err)
		os.Exit(1)
	}
	marker := filepath.Join(repoDir, pushMarker)
	if err := os.WriteFile(marker, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "githost-hook: %v\n", err)
		os.Exit(1)
	}
	defer os.Remove(marker)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := newRunner().RunEach(ctx, event, repoDir, payload, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "githost-hook: push rejected: %v\n", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
}
