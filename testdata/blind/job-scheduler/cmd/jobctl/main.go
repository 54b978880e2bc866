// Command jobctl talks to the schedulerd API.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"text/tabwriter"
	"time"

	"example.com/jobscheduler/internal/election"
)

const usageText = `usage: jobctl <command> [flags]

commands:
  list [-all]            list jobs
  trigger [-wait] JOB    start a run now
  history [-n N] JOB     show recent runs
  export -o FILE         download the history export
  watch                  poll job states until interrupted
  status LOCKFILE        show the current leader`

type client struct {
	base string
	http *http.Client
}

func usage() { fmt.Fprintln(os.Stderr, usageText) }

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	c := &client{
		base: env("JOBCTL_ADDR", "http://localhost:8080"),
		http: &http.Client{Timeout: 60 * time.Second},
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "list":
		err = c.list(os.Stdout, args)
	case "trigger":
		err = c.trigger(args)
	case "history":
		err = c.history(os.Stdout, args)
	case "export":
		err = c.export(args)
	case "watch":
		err = c.watch(os.Stdout, args)
	case "status":
		err = status(os.Stdout, args)
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "jobctl:", err)
		os.Exit(1)
	}
}

type jobView struct {
	ID     string    `json:"id"`
	Spec   string    `json:"spec"`
	Next   time.Time `json:"next"`
	Paused bool      `json:"paused"`
}

func (c *client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, body)
	}
	return resp, nil
}

func (c *client) post(path string) (*http.Response, error) {
	return c.http.Post(c.base+path, "application/json", nil)
}

func (c *client) list(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	all := fs.Bool("all", false, "include paused jobs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := "/jobs"
	if *all {
		path += "?all=1"
	}
	resp, err := c.get(context.Background(), path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var jobs []jobView
	if err := json.NewDecoder(resp.Body).Decode(&jobs); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSCHEDULE\tNEXT\tPAUSED")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", j.ID, j.Spec, j.Next.Local().Format(time.DateTime), j.Paused)
	}
	return tw.Flush()
}

func (c *client) trigger(args []string) error {
	fs := flag.NewFlagSet("trigger", flag.ContinueOnError)
	wait := fs.Bool("wait", false, "wait for the run to finish")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: jobctl trigger [-wait] JOB")
	}
	path := "/jobs/" + url.PathEscape(fs.Arg(0)) + "/trigger"
	if *wait {
		path += "?wait=1"
	}
	resp, err := c.post(path)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("trigger: %s: %s", resp.Status, body)
	}
	_, err = io.Copy(os.Stdout, resp.Body)
	return err
}

func (c *client) history(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	n := fs.Int("n", 20, "number of runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: jobctl history [-n N] JOB")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := c.get(ctx, fmt.Sprintf("/jobs/%s/history?n=%d", url.PathEscape(fs.Arg(0)), *n))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var recs []struct {
		Seq      uint64    `json:"seq"`
		Attempt  int       `json:"attempt"`
		Started  time.Time `json:"started"`
		Finished time.Time `json:"finished"`
		Err      string    `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&recs); err != nil {
		return err
	}
	for _, r := range recs {
		state := "ok"
		if r.Err != "" {
			state = "FAILED: " + r.Err
		}
		fmt.Fprintf(w, "#%d  %s  %8s  %s\n", r.Seq, r.Started.Local().Format(time.DateTime), r.Finished.Sub(r.Started).Round(time.Millisecond), state)
	}
	return nil
}

// export downloads the history export to -o through a temporary file that
// is renamed into place on success.
func (c *client) export(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("o", "history.jsonl.gz", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".jobctl-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	resp, err := c.http.Get(c.base + "/history/export")
	if err != nil {
		tmp.Close()
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		log.Fatalf("jobctl: export: server answered %s", resp.Status) // HAZ exit-skips-defer
	}
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), *out)
}

// watch polls the job list every few seconds until Ctrl-C.
func (c *client) watch(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	every := fs.Duration("every", 5*time.Second, "poll interval")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: jobctl watch [-every D]")
		os.Exit(2)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		fmt.Fprintf(w, "--- %s\n", time.Now().Format(time.TimeOnly))
		if err := c.list(w, nil); err != nil {
			fmt.Fprintln(os.Stderr, "jobctl:", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// status reads the leader lock file directly (it lives on shared storage).
func status(w io.Writer, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: jobctl status LOCKFILE")
	}
	_, err := fmt.Fprintln(w, election.Status(args[0], time.Minute))
	return err
}
