// Command metricsd scrapes the API's /healthz every few seconds and keeps
// the results in a local log for the on-call dashboard.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/fah20/internal/accesslog"
	"example.com/fah20/internal/health"
	"example.com/fah20/internal/jobs"
)

func scrapeTask(check health.Check, w *accesslog.Writer, every time.Duration) jobs.Task {
	return jobs.Task{Name: "scrape", Every: every, Fn: func(ctx context.Context) error {
		start := time.Now()
		status := 200
		if err := check(ctx); err != nil {
			status = 503
		}
		return w.Write(accesslog.Entry{Time: start, Method: "GET", Path: "/healthz", Status: status, Duration: time.Since(start)})
	}}
}

func main() {
	target := flag.String("target", "http://127.0.0.1:8080/healthz", "endpoint to scrape")
	out := flag.String("o", "data/scrape.log", "output log")
	every := flag.Duration("every", 5*time.Second, "scrape interval")
	flag.Parse()

	w, err := accesslog.Open(*out, 32<<20)
	if err != nil {
		log.Fatalf("metricsd: %v", err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			log.Printf("metricsd: %v", err)
		}
	}()

	check := health.HTTPCheck(&http.Client{Timeout: 2 * time.Second}, *target)
	sched := jobs.NewScheduler(log.Default())
	sched.Add(scrapeTask(check, w, *every))
	go sched.Run(context.Background())
	log.Printf("metricsd: scraping %s every %s", *target, *every)
	select {} // HAZ signal-skips-defer
}
