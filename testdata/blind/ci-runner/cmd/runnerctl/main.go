// Command runnerctl inspects and controls a running CI runner.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func usage() {
	fmt.Fprint(os.Stderr, `usage: runnerctl <command> [flags] [args]

commands:
  status [id]        show one job, or the summary
  cancel <id>...     cancel running jobs
  logs <id>          page the tail of a job log
  export             write the job list as CSV
  pack <dir> <out>   build an artifact archive locally
  download <name>... fetch artifacts from the artifact store
  watch              follow the runner summary

environment: RUNNER_ADDR (default http://127.0.0.1:8088), ARTIFACT_URL
`)
}

// die prints an error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "runnerctl: "+format+"\n", args...)
	os.Exit(1)
}

type client struct {
	base string
	http *http.Client
}

func newClient() *client {
	base := os.Getenv("RUNNER_ADDR")
	if base == "" {
		base = "http://127.0.0.1:8088"
	}
	return &client{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: time.Minute}}
}

func (c *client) do(ctx context.Context, method, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(msg)))
	}
	return resp, nil
}

func (c *client) getJSON(ctx context.Context, path string, v any) error {
	resp, err := c.do(ctx, http.MethodGet, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// download copies the body of GET path to w.
func (c *client) download(ctx context.Context, path string, w io.Writer) (int64, error) {
	resp, err := c.do(ctx, http.MethodGet, path)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return io.Copy(w, resp.Body)
}

func main() {
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() < 1 {
		usage()
		os.Exit(2)
	}
	c := newClient()
	args := flag.Args()[1:]
	var code int
	switch flag.Arg(0) {
	case "status":
		code = cmdStatus(c, args)
	case "cancel":
		code = cmdCancel(c, args)
	case "logs":
		code = cmdLogs(c, args)
	case "export":
		code = cmdExport(c, args)
	case "pack":
		code = cmdPack(args)
	case "download":
		code = cmdDownload(args)
	case "watch":
		code = cmdWatch(c, args)
	default:
		fmt.Fprintf(os.Stderr, "runnerctl: unknown command %q\n", flag.Arg(0))
		usage()
		code = 2
	}
	os.Exit(code)
}
