// Command jr-agent runs on build nodes: it claims a workspace, checks the
// toolchain and keeps the remote executor's node pool warm.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/unusualpos4/internal/remote"
	"example.com/unusualpos4/internal/task"
)

func main() {
	root := flag.String("root", "/var/lib/jr-agent", "workspace root")
	nodes := flag.String("nodes", "", "comma-separated node addresses")
	tools := flag.String("tools", "sh,tar,gzip", "required tools")
	health := flag.String("health", "http://127.0.0.1:8421", "cache server URL")
	flag.Parse()

	ws := prepareWorkspace(*root, strings.Split(*tools, ","))
	ex := remote.NewExecutor(ws, *health, log.Printf)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := ex.Start(ctx, strings.Split(*nodes, ",")); err != nil {
		log.Printf("jr-agent: %v", err)
		return
	}
	ready := filepath.Join(ws, ".ready")
	if err := os.WriteFile(ready, nil, 0o644); err != nil {
		log.Printf("jr-agent: %v", err)
		return
	}
	defer os.Remove(ready)

	go func() {
		for range time.Tick(30 * time.Second) {
			if !ex.Probe(ctx, "self") {
				log.Printf("jr-agent: self probe failed")
			}
		}
	}()
	log.Printf("jr-agent: running in %s", ws)
	select {} // HAZ signal-skips-defer
}

// prepareWorkspace claims root for this agent and checks the toolchain.
func prepareWorkspace(root string, tools []string) string {
	lock := filepath.Join(root, ".agent.lock")
	if err := os.MkdirAll(root, 0o755); err != nil {
		exitf("jr-agent: %v", err)
	}
	if err := os.WriteFile(lock, []byte(fmt.Sprint(os.Getpid())), 0o644); err != nil {
		exitf("jr-agent: %v", err)
	}
	defer os.Remove(lock)
	for tool, err := range task.ProbeTools(tools, nil) {
		if err != nil {
			exitf("jr-agent: missing tool %s: %v", tool, err) // HAZ exit-skips-defer
		}
	}
	ws := filepath.Join(root, "ws")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		log.Printf("jr-agent: %v", err)
		return root
	}
	return ws
}

// exitf prints the message and exits with status 1.
func exitf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
