// Command transcoderd is the transcoding daemon: HTTP API, job queue and
// worker pool in one process, shut down gracefully on SIGINT/SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/mediatranscoder/internal/api"
	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/job"
	"example.com/mediatranscoder/internal/metrics"
	"example.com/mediatranscoder/internal/progress"
	"example.com/mediatranscoder/internal/storage"
	"example.com/mediatranscoder/internal/thumbnail"
	"example.com/mediatranscoder/internal/worker"
)

type config struct {
	StoreRoot      string        `json:"store_root"`
	ScratchRoot    string        `json:"scratch_root"`
	UploadDir      string        `json:"upload_dir"`
	ThumbDir       string        `json:"thumb_dir"`
	OriginURL      string        `json:"origin_url"`
	OriginToken    string        `json:"origin_token"`
	OriginTimeout  time.Duration `json:"origin_timeout"`
	FFmpeg         string        `json:"ffmpeg"`
	FFprobe        string        `json:"ffprobe"`
	Workers        int           `json:"workers"`
	MaxEncoders    int           `json:"max_encoders"`
	MaxUploadBytes int64         `json:"max_upload_bytes"`
	CallbackSecret string        `json:"callback_secret"`
	ShutdownGrace  time.Duration `json:"shutdown_grace"`
	MetricsAddr    string        `json:"metrics_addr"`
}

func defaultConfig() config {
	return config{
		StoreRoot:      "/var/lib/transcoder/store",
		ScratchRoot:    "/var/tmp/transcoder",
		UploadDir:      "/var/tmp/transcoder/uploads",
		ThumbDir:       "/var/lib/transcoder/thumbs",
		OriginURL:      "http://origin.internal:8080",
		OriginTimeout:  30 * time.Second,
		FFmpeg:         "ffmpeg",
		FFprobe:        "ffprobe",
		Workers:        4,
		MaxEncoders:    4,
		MaxUploadBytes: 8 << 30,
		ShutdownGrace:  30 * time.Second,
		MetricsAddr:    "127.0.0.1:9090",
	}
}

// loadConfig overlays the JSON file at path (if any) on the defaults. The
// file is only read, so the deferred Close cannot lose data.
func loadConfig(path string) (config, error) {
	cfg := defaultConfig()
	if path == "" {
		return cfg, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Workers <= 0 {
		return cfg, fmt.Errorf("%s: workers must be positive", path)
	}
	return cfg, nil
}

func main() {
	cfgPath := flag.String("config", "", "path to the JSON config file")
	addr := flag.String("addr", ":8080", "API listen address")
	flag.Parse()
	logger := log.New(os.Stderr, "transcoderd ", log.LstdFlags|log.Lmicroseconds)
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		logger.Fatalf("config: %v", err)
	}
	if err := run(cfg, *addr, logger); err != nil {
		logger.Fatalf("fatal: %v", err)
	}
}

func run(cfg config, addr string, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	files, err := storage.NewLocalStore(cfg.StoreRoot)
	if err != nil {
		return err
	}
	origin, err := storage.NewOrigin(cfg.OriginURL, cfg.OriginToken, cfg.OriginTimeout)
	if err != nil {
		return err
	}
	reg := metrics.NewRegistry(2048)
	runner := encoder.NewRunner(cfg.FFmpeg, cfg.FFprobe, cfg.MaxEncoders, logger)
	thumbs, err := thumbnail.New(cfg.FFmpeg, cfg.ThumbDir, 320, reg)
	if err != nil {
		return err
	}
	queue, store, tracker := job.NewQueue(), job.NewStore(), progress.NewTracker()
	notifier := api.NewNotifier([]byte(cfg.CallbackSecret), 10*time.Second, 256, logger)
	notifier.Start()

	tc := &worker.Transcoder{
		Runner: runner, Local: files, Origin: origin, Thumbs: thumbs,
		Store: store, Tracker: tracker, Scratch: cfg.ScratchRoot,
		Options: encoder.Options{Preset: "veryfast", GOP: 48, SegmentTime: 4 * time.Second},
		Logger:  logger,
	}
	pool := worker.NewPool(queue, store, tc, worker.Config{
		Workers:     cfg.Workers,
		MaxAttempts: 3,
		KillGrace:   10 * time.Second,
		OnEvent:     func(ev worker.Event) { onPoolEvent(ev, store, tracker, notifier, reg) },
	}, logger)
	pool.Start(ctx)
	go pruneLoop(ctx, store, tracker, time.Hour, 72*time.Hour)
	go func() {
		if err := serveMetrics(ctx, cfg.MetricsAddr, reg, logger); err != nil {
			logger.Printf("metrics server: %v", err)
		}
	}()

	srv := &http.Server{
		Addr: addr,
		Handler: api.NewServer(api.Config{
			Queue: queue, Store: store, Tracker: tracker, Files: files,
			Prober: runner, Canceler: pool, Notifier: notifier,
			UploadDir: cfg.UploadDir, MaxUpload: cfg.MaxUploadBytes,
			MaxUploads: 8, MaxPerClient: 4, ProbeTimeout: 20 * time.Second,
			FFprobePath: cfg.FFprobe, Logger: logger,
		}).Routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s with %d workers", addr, cfg.Workers)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
	case <-ctx.Done():
		logger.Print("signal received, shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	httpErr := srv.Shutdown(shutdownCtx)
	poolErr := pool.Shutdown(shutdownCtx)
	flushed := notifier.Close(shutdownCtx)
	logger.Printf("shutdown complete: %d callbacks flushed", flushed)
	return errors.Join(httpErr, poolErr)
}

func onPoolEvent(ev worker.Event, store *job.Store, tracker *progress.Tracker, n *api.Notifier, reg *metrics.Registry) {
	switch ev.Kind {
	case worker.EventStarted:
		reg.Inc("jobs.started")
		tracker.Publish(progress.Update{JobID: ev.JobID, Stage: "started"})
	case worker.EventFinished:
		reg.Inc("jobs.finished")
		j, ok := store.Get(ev.JobID)
		if !ok {
			return
		}
		tracker.Publish(progress.Update{JobID: j.ID, Stage: j.Status.String(), Percent: 100, Done: true, Err: j.Err})
		if j.Request.CallbackURL != "" && !n.Enqueue(j.Request.CallbackURL, api.Event{JobID: j.ID, Status: j.Status.String(), Error: j.Err, At: time.Now()}) {
			reg.Inc("callbacks.dropped")
		}
	}
}

// pruneLoop forgets old finished jobs; the ticker is stopped when ctx ends.
func pruneLoop(ctx context.Context, store *job.Store, tracker *progress.Tracker, every, maxAge time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			before := tracker.Jobs()
			if store.Prune(maxAge) == 0 {
				continue
			}
			for _, id := range before {
				if _, ok := store.Get(id); !ok {
					tracker.Publish(progress.Update{JobID: id, Stage: "pruned", Done: true})
				}
			}
		}
	}
}

// serveMetrics serves counters until ctx ends. The deferred shutdown is
// bounded by its own timeout.
func serveMetrics(ctx context.Context, addr string, reg *metrics.Registry, logger *log.Logger) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(reg.SnapshotCounters())
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("metrics shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return nil
	}
}
