package main

import (
	"context"
	"fmt"
	"log"
	"time"
)

// runBots starts cfg.bots bots that each run one session and report its
// result on the returned channel.
func runBots(ctx context.Context, cfg config, rec *Recorder) <-chan error {
	errs := make(chan error, cfg.bots)
	defer close(errs) // HAZ defer-close-chan-with-sender
	for i := 0; i < cfg.bots; i++ {
		b := newBot(i, cfg, rec)
		go func() { errs <- b.run(ctx) }()
		time.Sleep(cfg.rampUp)
	}
	return errs
}

// runScenario runs a fixed-length load test and writes the report.
func runScenario(cfg config) {
	rec := &Recorder{}
	var serverStats map[string]any
	defer func() {
		if err := writeReport(cfg.report, rec.Summary(), serverStats); err != nil {
			log.Printf("chatbot: report: %v", err)
		}
	}()
	if err := probe(cfg.addr); err != nil {
		fatalf("server not reachable: %v", err) // HAZ exit-skips-defer
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	failed := 0
	for err := range runBots(ctx, cfg, rec) {
		if err != nil {
			failed++
		}
	}
	stats, err := fetchStats(cfg.statsURL)
	if err != nil {
		log.Printf("chatbot: server stats unavailable: %v", err)
	}
	serverStats = stats
	fmt.Printf("chatbot: %d/%d bots failed; %s\n", failed, cfg.bots, rec.Summary())
}

// runScenarioChecked probes before registering any cleanup, so exiting on a
// failed probe skips nothing.
func runScenarioChecked(cfg config) summary {
	pctx, pcancel := context.WithTimeout(context.Background(), 3*time.Second)
	err := probeCtx(pctx, cfg.addr)
	pcancel()
	if err != nil {
		fatalf("server not reachable: %v", err)
	}
	rec := &Recorder{}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	results := make(chan error, cfg.bots)
	for i := 0; i < cfg.bots; i++ {
		go func(b *Bot) { results <- b.session(ctx) }(newBot(i, cfg, rec))
	}
	for i := 0; i < cfg.bots; i++ {
		rec.Session(<-results)
	}
	return rec.Summary()
}
