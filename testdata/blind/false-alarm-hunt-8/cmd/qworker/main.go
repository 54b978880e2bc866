// Command qworker drains the durable queue into the log while following
// configuration changes.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm8/config"
	"example.com/falsealarm8/fqueue"
	"example.com/falsealarm8/logx"
)

var cfgPath string

// init refuses to start without a config; no defer exists yet.
func init() {
	cfgPath = os.Getenv("QWORKER_CONFIG")
	if cfgPath == "" {
		log.Fatal("qworker: QWORKER_CONFIG is not set")
	}
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "qworker:", err)
		os.Exit(1)
	}
}

// run owns every resource. The async writer wraps the file sink, so its
// Close is registered after the sink's and therefore runs first, flushing
// into a still-open file.
func run() (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	store := config.NewStore(cfg)
	w := config.StartWatcher(cfgPath, store, 2*time.Second, log.Printf)
	defer w.Stop()

	sink, err := logx.OpenFileSink(cfg.Get("log.file", "qworker.log"), 64<<20)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sink.Close()) }()
	aw := logx.NewAsyncWriter(sink, 4096)
	defer func() { err = errors.Join(err, aw.Close()) }()
	logger := logx.New(aw, logx.LevelInfo)
	defer logger.Trace("qworker")()

	q, err := fqueue.Open(cfg.Get("queue.dir", "spool"), 64<<20)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, q.Close()) }()
	return work(ctx, logger, q, store)
}

// work polls the queue until ctx ends. A new poll interval from the config
// store takes effect at the next tick.
func work(ctx context.Context, logger *logx.Logger, q *fqueue.Queue, store *config.Store) error {
	c := q.NewConsumer("qworker", func(rec []byte) error {
		logger.Info("record", "data", string(rec))
		return nil
	})
	if err := c.LoadCursor(); err != nil {
		return err
	}
	every, err := store.Current().Duration("poll.every", time.Second)
	if err != nil {
		return err
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			logger.Info("shutting down", "cause", context.Cause(ctx))
			return nil
		case <-tick.C:
		}
		if err := q.Rotate(); err != nil {
			return err
		}
		n, err := c.Poll()
		if err != nil {
			logger.Error("poll failed", "err", err)
			continue
		}
		if n > 0 {
			logger.Info("delivered", "records", n)
		}
		if d, err := store.Current().Duration("poll.every", every); err == nil && d != every {
			every = d
			tick.Reset(every)
		}
	}
}
