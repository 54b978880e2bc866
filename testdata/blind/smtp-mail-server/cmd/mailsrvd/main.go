// Command mailsrvd is the mail transfer agent: SMTP listener, spool, queue
// runner and admin endpoint in one process.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/mailsrv/internal/admin"
	"example.com/mailsrv/internal/bounce"
	"example.com/mailsrv/internal/config"
	"example.com/mailsrv/internal/delivery"
	"example.com/mailsrv/internal/dnsmx"
	"example.com/mailsrv/internal/greylist"
	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/queue"
	"example.com/mailsrv/internal/smtpd"
	"example.com/mailsrv/internal/spool"
	"example.com/mailsrv/internal/spoolq"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	fs := flag.NewFlagSet("mailsrvd", flag.ContinueOnError)
	cfgPath := fs.String("config", "/etc/mailsrv/mailsrv.json", "configuration file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.LoadWithBackup(*cfgPath)
	if err != nil {
		log.Printf("mailsrvd: %v", err)
		return 1
	}
	if err := cfg.Validate(); err != nil {
		log.Printf("mailsrvd: %s: %v", *cfgPath, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		log.Printf("mailsrvd: %v", err)
		return 1
	}
	return 0
}

func loadTLS(cfg *config.Config) (*tls.Config, error) {
	if cfg.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// run wires the components together and blocks until ctx is cancelled or
// a listener fails.
func run(ctx context.Context, cfg *config.Config) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	sp, err := spool.Open(cfg.SpoolDir)
	if err != nil {
		return err
	}
	tlsCfg, err := loadTLS(cfg)
	if err != nil {
		return err
	}
	logger := log.Default()
	m := metrics.New()

	greyPath := filepath.Join(cfg.SpoolDir, "greylist.json")
	grey := greylist.New(cfg.GreylistDelay.Duration, cfg.GreylistTTL.Duration)
	recs, err := greylist.LoadFile(greyPath)
	if err != nil {
		logger.Printf("mailsrvd: greylist state: %v (starting empty)", err)
	}
	grey.Import(recs)

	dc := &delivery.Client{
		Hostname: cfg.Hostname,
		Resolver: dnsmx.NewResolver(10*time.Second, 10*time.Minute),
		Timeout:  5 * time.Minute,
		TLS:      &tls.Config{MinVersion: tls.VersionTLS12},
		Metrics:  m,
	}
	runner := queue.NewRunner(queue.Config{
		Workers:   cfg.QueueWorkers,
		PerDomain: cfg.PerDomainLimit,
		MaxAge:    cfg.MaxQueueAge.Duration,
		Interval:  cfg.QueueInterval.Duration,
	}, spoolq.NewStore(sp), dc, m, logger)
	runner.Bouncer = &spoolBouncer{
		gen: &bounce.Generator{Hostname: cfg.Hostname, Postmaster: "postmaster@" + cfg.Hostname, MaxExcerpt: 8 << 10, Log: logger},
		sp:  sp,
	}

	srv := &smtpd.Server{
		Addr:            cfg.Listen,
		Hostname:        cfg.Hostname,
		TLSConfig:       tlsCfg,
		ReadTimeout:     5 * time.Minute,
		WriteTimeout:    time.Minute,
		DataTimeout:     10 * time.Minute,
		MaxMessageBytes: cfg.MaxMessageBytes,
		MaxRecipients:   cfg.MaxRecipients,
		MaxConnsPerIP:   cfg.MaxConnsPerIP,
		Backend:         &backend{cfg: cfg, sp: sp, grey: grey, m: m, runner: runner},
		Metrics:         m,
		ErrorLog:        logger,
	}
	api := &admin.API{Queue: runner, Metrics: m, Grey: grey, SpoolDir: cfg.SpoolDir, Peers: cfg.Peers,
		Client: &http.Client{Timeout: 10 * time.Second}, Log: logger}
	adminSrv := &http.Server{Addr: cfg.AdminListen, Handler: api.Handler(), ReadHeaderTimeout: 5 * time.Second}

	ctl, err := net.Listen("unix", filepath.Join(cfg.SpoolDir, "control.sock"))
	if err != nil {
		return err
	}
	defer ctl.Close()
	go serveControl(ctl, controlHandler(m, runner, srv))

	runner.Start(ctx)
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	go func() { errc <- adminSrv.ListenAndServe() }()
	go grey.RunSweeper(ctx, time.Minute, func(n int) { m.Add("greylist_expired", int64(n)) })
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		if err := adminSrv.Shutdown(sctx); err != nil {
			logger.Printf("mailsrvd: admin shutdown: %v", err)
		}
	}()

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	logger.Printf("mailsrvd: shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace.Duration)
	defer scancel()
	if err := srv.Shutdown(sctx); err != nil && runErr == nil {
		runErr = err
	}
	cancel()
	runner.Stop()
	if err := grey.SaveFile(greyPath); err != nil {
		logger.Printf("mailsrvd: saving greylist: %v", err)
	}
	if errors.Is(runErr, smtpd.ErrServerClosed) || errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	return runErr
}
