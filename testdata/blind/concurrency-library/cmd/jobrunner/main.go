// Command jobrunner executes shell-like jobs from a file on a worker pool.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"example.com/conclib/pool"
	"example.com/conclib/syncx"
)

type jobSpec struct {
	name  string
	sleep time.Duration
}

// loadJobs reads the job file. While it is being read, a marker file tells
// the scheduler not to rewrite it.
func loadJobs(path string) []jobSpec {
	marker := path + ".reading"
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		log.Fatalf("jobrunner: %v", err) // ok: no defer registered yet
	}
	defer os.Remove(marker)
	jobs, err := parseJobs(path)
	if err != nil {
		log.Fatalf("jobrunner: %v", err) // HAZ exit-skips-defer
	}
	return jobs
}

func parseJobs(path string) ([]jobSpec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var jobs []jobSpec
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, dur, ok := strings.Cut(line, " ")
		d, err := time.ParseDuration(strings.TrimSpace(dur))
		if !ok || err != nil {
			return nil, fmt.Errorf("bad job line %q", line)
		}
		jobs = append(jobs, jobSpec{name: name, sleep: d})
	}
	return jobs, sc.Err()
}

func (j jobSpec) run(ctx context.Context) error {
	select {
	case <-time.After(j.sleep):
		log.Printf("jobrunner: %s done", j.name)
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", j.name, ctx.Err())
	}
}

func runAll(ctx context.Context, jobs []jobSpec, workers int) error {
	p := pool.New(workers, pool.WithJobTimeout(time.Minute))
	defer p.Close()
	g, ctx := syncx.WithContext(ctx)
	for _, j := range jobs {
		g.Go(func() error { return p.Do(ctx, j.run) }) // ok: per-iteration j (go1.22)
	}
	return g.Wait()
}

func main() {
	file := flag.String("f", "jobs.txt", "job file")
	workers := flag.Int("j", 4, "workers")
	noMarker := flag.Bool("no-marker", false, "read the job file without creating the .reading marker")
	flag.Parse()

	lock := *file + ".lock"
	if err := os.WriteFile(lock, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		log.Fatalf("jobrunner: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(lock)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var jobs []jobSpec
	if *noMarker {
		var err error
		if jobs, err = parseJobs(*file); err != nil {
			log.Fatalf("jobrunner: %v", err) // HAZ exit-skips-defer
		}
	} else {
		jobs = loadJobs(*file)
	}

	go func() {
		<-ctx.Done()
		time.Sleep(10 * time.Second)
		log.Printf("jobrunner: jobs did not stop in time")
		os.Exit(1) // ok: inside a function literal
	}()

	if err := runAll(ctx, jobs, *workers); err != nil {
		log.Printf("jobrunner: %v", err)
	}
}
