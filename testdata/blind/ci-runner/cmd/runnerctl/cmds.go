package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"time"

	"example.com/cirunner/internal/artifact"
)

type jobEntry struct {
	ID       string    `json:"id"`
	Repo     string    `json:"repo"`
	Ref      string    `json:"ref"`
	Status   string    `json:"status"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Err      string    `json:"error"`
}

func cmdStatus(c *client, args []string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if len(args) == 0 {
		var sum map[string]int
		if err := c.getJSON(ctx, "/summary", &sum); err != nil {
			fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
			return 1
		}
		printSummary(sum)
		return 0
	}
	var e jobEntry
	if err := c.getJSON(ctx, "/jobs/"+url.PathEscape(args[0]), &e); err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
		return 1
	}
	fmt.Printf("%s\t%s\t%s@%s\tstarted %s\n", e.ID, e.Status, e.Repo, e.Ref, e.Started.Format(time.RFC3339))
	if e.Err != "" {
		fmt.Printf("error: %s\n", e.Err)
	}
	return 0
}

func printSummary(sum map[string]int) {
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%-10s %d\n", k, sum[k])
	}
}

func cmdCancel(c *client, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "runnerctl: cancel needs at least one job id")
		return 2
	}
	code := 0
	for _, id := range args {
		resp, err := c.do(context.Background(), http.MethodPost, "/cancel/"+url.PathEscape(id))
		if err != nil {
			fmt.Fprintf(os.Stderr, "runnerctl: cancel %s: %v\n", id, err)
			code = 1
			continue
		}
		resp.Body.Close()
		fmt.Printf("canceled %s\n", id)
	}
	return code
}

// cmdLogs fetches the tail of a job log into a temporary file and opens it
// in $PAGER.
func cmdLogs(c *client, args []string) int {
	fs := flag.NewFlagSet("logs", flag.ExitOnError)
	lines := fs.Int("n", 500, "number of lines")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	id := fs.Arg(0)
	tmp, err := os.CreateTemp("", "runnerctl-*.log")
	if err != nil {
		die("create temp file: %v", err)
	}
	defer os.Remove(tmp.Name())

	n, err := c.download(context.Background(), fmt.Sprintf("/logs/%s?n=%d", url.PathEscape(id), *lines), tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		die("fetch log of %s: %v", id, err) // HAZ exit-skips-defer
	}
	if n == 0 {
		fmt.Println("(empty log)")
		return 0
	}
	pager := os.Getenv("PAGER")
	if pager == "" {
		pager = "less"
	}
	cmd := exec.Command(pager, tmp.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: %s: %v\n", pager, err)
		return 1
	}
	return 0
}

func cmdExport(c *client, args []string) int {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	out := fs.String("o", "jobs.csv", "output file")
	limit := fs.Int("limit", 1000, "maximum number of jobs")
	_ = fs.Parse(args)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var jobs []jobEntry
	if err := c.getJSON(ctx, fmt.Sprintf("/jobs?limit=%d", *limit), &jobs); err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
		return 1
	}
	if err := writeCSV(*out, jobs); err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: write %s: %v\n", *out, err)
		return 1
	}
	fmt.Printf("wrote %d jobs to %s\n", len(jobs), *out)
	return 0
}

// writeCSV writes the job list; errors from the csv writer and from closing
// the file are both reported.
func writeCSV(path string, jobs []jobEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(f)
	_ = w.Write([]string{"id", "repo", "ref", "status", "started", "finished", "error"})
	for _, j := range jobs {
		var finished string
		if !j.Finished.IsZero() {
			finished = j.Finished.Format(time.RFC3339)
		}
		_ = w.Write([]string{j.ID, j.Repo, j.Ref, j.Status, j.Started.Format(time.RFC3339), finished, j.Err})
	}
	w.Flush()
	return w.Error()
}

func cmdPack(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: runnerctl pack <dir> <out.tar.gz>")
		return 2
	}
	files, err := artifact.Collect(args[0], []string{"*", "*/*", "*/*/*"})
	if err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
		return 1
	}
	if err := artifact.PackFile(args[1], args[0], files); err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
		return 1
	}
	fmt.Printf("packed %d files into %s\n", len(files), args[1])
	return 0
}

// cmdWatch prints the runner summary every interval until interrupted.
func cmdWatch(c *client, args []string) int {
	fs := flag.NewFlagSet("watch", flag.ExitOnError)
	every := fs.Duration("every", 2*time.Second, "poll interval")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		var sum map[string]int
		err := func() error {
			reqCtx, cancel := context.WithTimeout(ctx, *every)
			defer cancel()
			return c.getJSON(reqCtx, "/summary", &sum)
		}()
		switch {
		case err == nil:
			fmt.Printf("--- %s\n", time.Now().Format(time.TimeOnly))
			printSummary(sum)
		case ctx.Err() == nil:
			fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
		}
		select {
		case <-ctx.Done():
			return 0
		case <-t.C:
		}
	}
}
