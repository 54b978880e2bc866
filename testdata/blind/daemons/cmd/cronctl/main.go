// Command cronctl runs and inspects the scheduled maintenance jobs.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"example.com/daemons/cron"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cronctl: "+format+"\n", args...)
	os.Exit(1)
}

func runCommand(ctx context.Context, command string) error {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.WaitDelay = 5 * time.Second
	return cmd.Run()
}

func loadSpecs(path string) ([]cron.JobSpec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var specs []cron.JobSpec
	return specs, json.Unmarshal(data, &specs)
}

var commands = map[string]bool{"status": true, "run": true, "run-all": true, "daemon": true}

func main() {
	var (
		config    = flag.String("config", "/etc/cronctl/jobs.json", "job definitions")
		statePath = flag.String("state", "/var/lib/cronctl/state.json", "state file")
		lockDir   = flag.String("lock-dir", "/run/lock/cronctl", "lock directory")
		lenient   = flag.Bool("lenient", false, "accept bad schedules with the default interval")
		timeout   = flag.Duration("timeout", time.Hour, "timeout for `run`")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: cronctl [flags] status|run JOB|run-all|daemon\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	cmd := flag.Arg(0)
	if !commands[cmd] || (cmd == "run" && flag.NArg() < 2) {
		flag.Usage()
		os.Exit(2) // ok: nothing deferred yet
	}

	specs, err := loadSpecs(*config)
	if err != nil {
		fatalf("config: %v", err) // ok: nothing deferred yet
	}
	logger := log.New(os.Stderr, "cronctl ", log.LstdFlags)
	locks := cron.FileLocker{Dir: *lockDir}
	s := cron.New(logger, locks, *statePath)
	jobs, err := cron.BuildJobs(specs, *lenient, runCommand)
	if err != nil {
		fatalf("%v", err) // ok: nothing deferred yet
	}
	for _, j := range jobs {
		if err := s.Add(j, nil); err != nil {
			fatalf("%v", err) // ok: nothing deferred yet
		}
	}

	release, err := locks.Acquire(context.Background(), "cronctl-"+cmd)
	if err != nil {
		fatalf("another cronctl %s is running: %v", cmd, err) // ok: nothing deferred yet
	}
	defer release()

	switch cmd {
	case "status":
		fmt.Print(s.Status())
	case "run":
		ctx, cancel := context.WithTimeout(context.Background(), *timeout)
		defer cancel()
		if err := s.RunNow(ctx, flag.Arg(1)); err != nil {
			fatalf("run %s: %v", flag.Arg(1), err) // HAZ exit-skips-defer
		}
	case "run-all":
		s.RunAll(context.Background())
	case "daemon":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		s.MustLoadState()
		if err := s.MarkRunning(); err != nil {
			logger.Printf("marker: %v", err)
		}
		s.Start(ctx)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Close(sctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}
}
