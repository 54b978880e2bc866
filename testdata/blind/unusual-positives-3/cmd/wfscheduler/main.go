// Command wfscheduler runs the scheduler and the admin API until it is told
// to stop.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/unusualpos3/internal/admin"
	"example.com/unusualpos3/internal/plugin"
	"example.com/unusualpos3/internal/workflow"
)

func main() {
	addr := flag.String("addr", ":8081", "admin listen address")
	dir := flag.String("journal", "/var/lib/wf/journal", "journal directory")
	tick := flag.Duration("tick", time.Second, "scheduling interval")
	flag.Parse()

	logger := log.New(os.Stderr, "wfscheduler: ", log.LstdFlags)
	j, err := workflow.OpenJournal(*dir)
	if err != nil {
		logger.Fatalf("open journal: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := j.Close(); err != nil {
			logger.Printf("close journal: %v", err)
		}
	}()

	eng := workflow.NewEngine(j, workflow.LogAuditor{Logger: logger}, logger)
	sched := workflow.NewScheduler(eng, *tick, logger)
	if err := sched.Restore(*dir); err != nil {
		logger.Printf("starting with an empty queue: %v", err)
	}
	host := plugin.NewHost(plugin.Builtins(), logger)
	defer host.Shutdown()
	srv := admin.NewServer(host, eng, "", logger)

	go sched.Ticks(ctx)
	go func() {
		if err := srv.Serve(ctx, *addr); err != nil {
			logger.Printf("admin: %v", err)
		}
	}()
	if err := sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Printf("scheduler: %v", err)
	}
	sched.Wait()
}
