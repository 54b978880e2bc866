// Command widgetctl is the command-line client for Widgets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"example.com/k8scontrollers/pkg/client"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("widgetctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", envOr("WIDGET_SERVER", "http://127.0.0.1:8080"), "API server URL")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := client.New(*server, os.Getenv("WIDGET_TOKEN"))
	if err != nil {
		fmt.Fprintf(stderr, "widgetctl: %v\n", err)
		return 1
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	switch cmd {
	case "get":
		err = cmdGet(ctx, c, rest, stdout)
	case "list":
		err = cmdList(ctx, c, rest, stdout)
	case "edit":
		err = cmdEdit(ctx, c, rest)
	case "delete":
		err = cmdDelete(ctx, c, rest)
	case "export":
		err = cmdExport(ctx, c, rest, stdout)
	case "watch":
		err = cmdWatch(ctx, c, rest, stdout)
	case "ping":
		err = cmdPing(*server, stdout)
	default:
		usage(stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "widgetctl %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: widgetctl [-server URL] get|list|edit|delete|export|watch|ping [args]")
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

var errUsage = errors.New("wrong arguments; see widgetctl -h")
