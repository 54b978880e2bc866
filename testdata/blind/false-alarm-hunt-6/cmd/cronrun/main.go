// Command cronrun wraps a cron job: it takes a lock so runs never overlap,
// enforces a timeout, records the result and pings a status URL.
//
//	cronrun -name nightly -lock /run/nightly.lock -timeout 1h -- /usr/local/bin/nightly
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/report"
	"example.com/falsealarm6/internal/runner"
)

type options struct {
	name      string
	lockPath  string
	timeout   time.Duration
	statusURL string
	logPath   string
	argv      []string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run does all the work and returns the exit status, so every defer in it
// has run before main calls os.Exit.
func run(args []string, stderr io.Writer) int {
	opts, err := parseArgs(args, stderr)
	if err != nil {
		return 2
	}
	code := 0
	err = lockfile.WithLock(opts.lockPath, func() error {
		var jobErr error
		code, jobErr = runJob(opts)
		return jobErr
	})
	if errors.Is(err, lockfile.ErrLocked) {
		fmt.Fprintf(stderr, "cronrun: %s: previous run still active\n", opts.name)
		return 75 // EX_TEMPFAIL
	}
	if err != nil {
		fmt.Fprintf(stderr, "cronrun: %s: %v\n", opts.name, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

func parseArgs(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("cronrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.name, "name", "job", "job name")
	fs.StringVar(&o.lockPath, "lock", "", "lock file (default /run/cronrun-NAME.lock)")
	fs.DurationVar(&o.timeout, "timeout", time.Hour, "kill the job after this long")
	fs.StringVar(&o.statusURL, "status-url", "", "URL to POST the result to")
	fs.StringVar(&o.logPath, "log", "", "append a result line to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.argv = fs.Args()
	if len(o.argv) == 0 {
		fmt.Fprintln(stderr, "cronrun: no command given")
		return o, errors.New("no command")
	}
	if o.lockPath == "" {
		o.lockPath = "/run/cronrun-" + o.name + ".lock"
	}
	return o, nil
}

// reportStatus posts the result to the monitoring endpoint.
func reportStatus(statusURL, name string, code int) {
	if statusURL == "" {
		return
	}
	form := url.Values{"job": {name}, "code": {fmt.Sprint(code)}}
	resp, err := http.Post(statusURL, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "cronrun: status: %v\n", err)
		return
	}
	resp.Body.Close()
}

// runJob runs the wrapped command and returns its exit status.
func runJob(opts options) (code int, err error) {
	defer func() { reportStatus(opts.statusURL, opts.name, code) }() // HAZ defer-blocking-call
	res, err := runner.Run(context.Background(), opts.timeout, opts.argv...)
	if err != nil {
		return 1, err
	}
	if opts.logPath != "" {
		line := fmt.Sprintf("%s %s exit=%d dur=%s", time.Now().Format(time.RFC3339), opts.name, res.ExitCode, res.Duration)
		if err := report.AppendLog(opts.logPath, line); err != nil {
			return res.ExitCode, err
		}
	}
	return res.ExitCode, nil
}

// ping sends a heartbeat bounded by ctx.
func ping(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// runWithHeartbeat runs fn and always sends a final heartbeat. The deferred
// network call is bounded by its own five-second timeout.
func runWithHeartbeat(u string, fn func() error) error {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ping(ctx, u); err != nil {
			fmt.Fprintf(os.Stderr, "cronrun: heartbeat: %v\n", err)
		}
	}()
	return fn()
}
