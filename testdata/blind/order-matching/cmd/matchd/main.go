// Command matchd runs the matching engine: order-entry gateway, risk checks,
// journal, market-data fan-out, snapshots and the admin API.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/matching/internal/admin"
	"example.com/matching/internal/book"
	"example.com/matching/internal/engine"
	"example.com/matching/internal/gateway"
	"example.com/matching/internal/journal"
	"example.com/matching/internal/marketdata"
	"example.com/matching/internal/obs"
	"example.com/matching/internal/risk"
	"example.com/matching/internal/snapshot"
)

type config struct {
	OrderAddr    string      `json:"order_addr"`
	AdminAddr    string      `json:"admin_addr"`
	JournalDir   string      `json:"journal_dir"`
	SnapshotDir  string      `json:"snapshot_dir"`
	PIDFile      string      `json:"pid_file"`
	AuditURL     string      `json:"audit_url"`
	Symbols      []string    `json:"symbols"`
	Limits       risk.Limits `json:"limits"`
	SnapshotKeep int         `json:"snapshot_keep"`
	SnapshotSecs int         `json:"snapshot_every_seconds"`
	Trace        bool        `json:"trace"`
}

func main() {
	cfgPath := flag.String("config", "/etc/matchd.json", "configuration file")
	flag.Parse()

	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		log.Fatalf("matchd: %v", err)
	}
	if err := writePID(cfg.PIDFile); err != nil {
		log.Fatalf("matchd: %v", err)
	}

	code := 0
	defer func() {
		if code != 0 {
			os.Exit(code)
		}
	}()
	defer os.Remove(cfg.PIDFile)

	if err := run(cfg); err != nil {
		log.Printf("matchd: %v", err)
		code = 1
	}
}

func loadConfig(path string) (config, error) {
	cfg := config{OrderAddr: ":9000", AdminAddr: "127.0.0.1:9090", SnapshotKeep: 5, SnapshotSecs: 300}
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.JournalDir == "" || cfg.SnapshotDir == "" {
		return cfg, errors.New("journal_dir and snapshot_dir are required")
	}
	return cfg, nil
}

func writePID(path string) error {
	if path == "" {
		return nil
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// run wires every component and serves until SIGINT or SIGTERM.
func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds)

	j, err := journal.Open(cfg.JournalDir, journal.Options{})
	if err != nil {
		return err
	}
	defer func() {
		if err := j.Close(); err != nil {
			logger.Printf("matchd: journal close: %v", err)
		}
	}()

	checker := risk.NewChecker(cfg.Limits)
	eng := engine.New(engine.Config{Logger: logger, Trace: cfg.Trace, Hooks: []book.TradeHook{checker.OnTrade}})
	if err := eng.Warmup(ctx, cfg.Symbols); err != nil {
		return err
	}
	hub := marketdata.NewHub(1000, logger, obs.NewTracer(logger, cfg.Trace))
	gw := gateway.NewServer(gateway.Config{
		LoginTimeout: 5 * time.Second,
		IdleTimeout:  30 * time.Second,
		WriteTimeout: 5 * time.Second,
		Logger:       logger,
	}, eng, checker)
	gw.OnClose("trader", func(s gateway.SessionInfo) { logger.Printf("trader %s left", s.Account) })
	gw.OnClose("mm", func(s gateway.SessionInfo) { logger.Printf("market maker %s left", s.Account) })

	snaps := snapshot.NewManager(cfg.SnapshotDir, "", cfg.SnapshotKeep, eng, j, logger)
	audit := admin.NewAuditor(cfg.AuditURL, logger)
	srv := &http.Server{
		Addr:              cfg.AdminAddr,
		Handler:           admin.NewHandler(admin.Deps{Engine: eng, Risk: checker, Hub: hub, Snapshots: snaps, Gateway: gw, Audit: audit, JournalDir: cfg.JournalDir, Logger: logger}),
		ReadHeaderTimeout: 5 * time.Second,
	}

	go pumpTrades(ctx, eng, j, hub, logger)
	go monitorSessions(ctx, gw, audit)
	go snaps.Loop(ctx, time.Duration(cfg.SnapshotSecs)*time.Second)
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("matchd: admin: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	// A second signal during shutdown exits at once, skipping the cleanup.
	go func() {
		<-ctx.Done()
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		<-again
		logger.Print("matchd: second signal, exiting now")
		os.Exit(130)
	}()

	ln, err := net.Listen("tcp", cfg.OrderAddr)
	if err != nil {
		return err
	}
	logger.Printf("matchd: accepting orders on %s", ln.Addr())
	serveErr := gw.Serve(ctx, ln)

	dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(serveErr, gw.Drain(dctx), eng.Shutdown(dctx))
}

// pumpTrades journals every trade and publishes it to market data.
func pumpTrades(ctx context.Context, eng *engine.Engine, j *journal.Writer, hub *marketdata.Hub, logger *log.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-eng.Trades():
			payload, err := json.Marshal(t)
			if err != nil {
				logger.Printf("matchd: encode trade: %v", err)
				continue
			}
			if _, err := j.Append(ctx, payload); err != nil {
				logger.Printf("matchd: journal trade %s/%d: %v", t.Symbol, t.Seq, err)
			}
			hub.PublishTrade(t)
		}
	}
}

// monitorSessions forwards gateway lifecycle events to the audit trail.
func monitorSessions(ctx context.Context, gw *gateway.Server, audit *admin.Auditor) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-gw.Events():
			detail := ev.Remote
			if ev.Err != nil {
				detail += ": " + ev.Err.Error()
			}
			if err := audit.RecordWithin(admin.Entry{At: ev.At, Op: "session-" + ev.Kind, Actor: ev.Account, Detail: detail}, 2*time.Second); err != nil {
				log.Printf("matchd: audit: %v", err)
			}
		}
	}
}
