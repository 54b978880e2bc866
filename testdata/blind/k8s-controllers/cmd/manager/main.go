// Command manager runs the widget controller manager.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/k8scontrollers/pkg/config"
	"example.com/k8scontrollers/pkg/manager"
)

func main() {
	opts, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "manager: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "manager ", log.LstdFlags|log.Lmsgprefix)
	mgr, err := manager.New(opts, logger)
	if err != nil {
		logger.Printf("setup failed: %v", err)
		return
	}
	go func() {
		<-ctx.Done()
		t := time.NewTimer(opts.ShutdownGrace)
		<-t.C
		log.Fatalf("manager: shutdown did not finish within %v", opts.ShutdownGrace)
	}()
	logger.Printf("starting (leader election: %v)", opts.LeaderElection)
	if err := mgr.Start(ctx); err != nil {
		logger.Printf("stopped with error: %v", err)
	}
}

func parseOptions(args []string) (manager.Options, error) {
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "path to the configuration file")
	identity := fs.String("identity", "", "leader election identity (default: hostname)")
	grace := fs.Duration("shutdown-grace", 30*time.Second, "time allowed for a graceful shutdown")
	if err := fs.Parse(args); err != nil {
		return manager.Options{}, err
	}
	if *cfgPath == "" {
		return manager.Options{}, fmt.Errorf("-config is required")
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return manager.Options{}, err
	}
	if err := cfg.Validate(); err != nil {
		return manager.Options{}, err
	}
	token, err := cfg.Token()
	if err != nil {
		return manager.Options{}, err
	}
	id := *identity
	if id == "" {
		if id, err = os.Hostname(); err != nil {
			return manager.Options{}, err
		}
	}
	return manager.Options{
		APIServer:      cfg.APIServer,
		Token:          token,
		Namespace:      cfg.Namespace,
		Workers:        cfg.Workers,
		ResyncPeriod:   cfg.ResyncPeriod.Duration,
		ProbeAddr:      cfg.ProbeAddr,
		LeaderElection: cfg.LeaderElection,
		LeaseName:      cfg.LeaseName,
		Identity:       id,
		ShutdownGrace:  *grace,
	}, nil
}
