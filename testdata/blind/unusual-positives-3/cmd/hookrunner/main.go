// Command hookrunner loads plugins and runs one lifecycle stage of hooks.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/unusualpos3/internal/plugin"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: hookrunner [-timeout d] plugin...\n")
		flag.PrintDefaults()
		os.Exit(2)
	}
	timeout := flag.Duration("timeout", 30*time.Second, "overall timeout")
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
	}
	os.Exit(run(flag.Args(), *timeout))
}

// run loads the plugins and sends each a "hook" request; it returns the
// process exit code.
func run(names []string, timeout time.Duration) int {
	logger := log.New(os.Stderr, "hookrunner: ", 0)
	host := plugin.NewHost(plugin.Builtins(), logger)
	defer func() {
		for _, err := range host.Shutdown() {
			logger.Printf("shutdown: %v", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	for _, n := range names {
		if err := host.Load(ctx, n, plugin.Config{}); err != nil {
			logger.Printf("load %s: %v", n, err)
			return 1
		}
	}
	code := 0
	for _, n := range names {
		resp, err := host.CallWithDeadline(ctx, n, plugin.Request{Op: "hook"}, timeout)
		if err != nil {
			logger.Printf("%s: %v", n, err)
			code = 1
			continue
		}
		fmt.Printf("%s: %d %s\n", n, resp.Status, resp.Body)
	}
	return code
}
