// Command consumerd runs one member of a consumer group with the admin
// endpoint, shutting down cleanly on SIGINT and SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/consumer/broker"
	"example.com/consumer/consumer"
	"example.com/consumer/metrics"
	"example.com/consumer/retry"
)

func main() {
	cfgPath := flag.String("config", "consumer.json", "configuration file")
	flag.Parse()
	if err := run(*cfgPath); err != nil {
		log.Fatalf("consumerd: %v", err)
	}
}

func run(cfgPath string) error {
	cfg, err := consumer.LoadConfig(cfgPath)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "consumerd ", log.LstdFlags|log.Lmsgprefix)
	b := broker.New()
	defer b.Close()
	for _, t := range cfg.Topics {
		if err := b.CreateTopic(t, 4); err != nil {
			return err
		}
	}

	c, err := consumer.New(cfg, b, handle(logger), logger)
	if err != nil {
		return err
	}
	defer c.Close()
	c.StartBackground(ctx)

	admin := metrics.NewAdmin(metrics.AdminConfig{
		Registry: c.Metrics(), View: c, DeadLetterDir: cfg.DeadLetterDir, Logger: logger,
	})
	srv := &http.Server{Addr: cfg.AdminAddr, Handler: admin.Routes(), ReadHeaderTimeout: 5 * time.Second}
	srvErr := make(chan error)
	go func() { srvErr <- srv.ListenAndServe() }()

	runErr := c.Run(ctx)

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("admin shutdown: %v", err)
	}
	if err := <-srvErr; !errors.Is(err, http.ErrServerClosed) {
		runErr = errors.Join(runErr, err)
	}
	return runErr
}

// handle decodes the message as JSON and logs its type field.
func handle(logger *log.Logger) retry.Handler {
	return func(ctx context.Context, m broker.Message) error {
		var ev struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(m.Value, &ev); err != nil {
			return retry.Permanent(err)
		}
		logger.Printf("%s@%d: %s", m.TP(), m.Offset, ev.Type)
		return nil
	}
}
