// Command wfctl is the operator CLI for the engine.
//
//	wfctl [-server URL] start WORKFLOW [INPUT-JSON]
//	wfctl [-server URL] describe ID
//	wfctl [-server URL] cancel ID [REASON]
//	wfctl [-server URL] watch ID
//	wfctl [-server URL] ping
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"example.com/wfengine/internal/client"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wfctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", envOr("WFENGINE_ADDR", "http://127.0.0.1:7233"), "engine API address")
	timeout := fs.Duration("timeout", 30*time.Second, "overall timeout (watch ignores it)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: wfctl [flags] start|describe|cancel|watch|ping ...")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := client.New(*server, *timeout)

	var err error
	rest := fs.Args()[1:]
	switch cmd := fs.Arg(0); cmd {
	case "start":
		err = withTimeout(ctx, *timeout, func(ctx context.Context) error { return cmdStart(ctx, c, rest, stdout) })
	case "describe":
		err = withTimeout(ctx, *timeout, func(ctx context.Context) error { return cmdDescribe(ctx, c, rest, stdout) })
	case "cancel":
		err = withTimeout(ctx, *timeout, func(ctx context.Context) error { return cmdCancel(ctx, c, rest) })
	case "watch":
		err = cmdWatch(ctx, c, rest, stdout)
	case "ping":
		err = ping(*server, stdout)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wfctl: %v\n", err)
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func withTimeout(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return fn(ctx)
}

func cmdStart(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	if len(args) < 1 {
		return errors.New("start: workflow name required")
	}
	var input json.RawMessage
	if len(args) > 1 {
		if !json.Valid([]byte(args[1])) {
			return errors.New("start: input is not valid JSON")
		}
		input = json.RawMessage(args[1])
	}
	id, err := c.Start(ctx, args[0], "", input)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, id)
	return err
}

func cmdDescribe(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("describe: execution id required")
	}
	ex, err := c.Describe(ctx, args[0])
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(ex)
}

func cmdCancel(ctx context.Context, c *client.Client, args []string) error {
	if len(args) < 1 {
		return errors.New("cancel: execution id required")
	}
	reason := "canceled by operator"
	if len(args) > 1 {
		reason = args[1]
	}
	return c.Cancel(ctx, args[0], reason)
}

// cmdWatch prints the execution's status whenever it changes, until it
// closes or the user interrupts.
func cmdWatch(ctx context.Context, c *client.Client, args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("watch: execution id required")
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last := ""
	for {
		ex, err := c.Describe(ctx, args[0])
		if err != nil {
			return err
		}
		status, _ := ex["status"].(string)
		if status != last {
			fmt.Fprintf(out, "%s %s\n", time.Now().Format(time.TimeOnly), status)
			last = status
		}
		if status != "running" {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ping checks that the engine answers its health endpoint and reports the
// round-trip time.
func ping(server string, out io.Writer) error {
	start := time.Now()
	resp, _ := http.Get(server + "/healthz")
	rtt := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping: %s", resp.Status)
	}
	_, err := fmt.Fprintf(out, "ok (%s)\n", rtt.Round(time.Millisecond))
	return err
}
