// Command obsagent is the observability agent: it receives metrics, logs
// and traces, batches and samples them, and exports them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/obsagent/internal/config"
	"example.com/obsagent/internal/exporter"
	"example.com/obsagent/internal/lifecycle"
	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/processor"
	"example.com/obsagent/internal/receiver"
	"example.com/obsagent/internal/telemetry"
)

// task adapts a blocking function to lifecycle.Runner.
type task struct {
	name string
	run  func(ctx context.Context) error
}

func (t *task) Name() string                                     { return t.name }
func (t *task) Start(context.Context) error                      { return nil }
func (t *task) Shutdown(context.Context) error                   { return nil }
func (t *task) Run(ctx context.Context) error                    { return t.run(ctx) }
func newTask(name string, run func(context.Context) error) *task { return &task{name, run} }

// merge forwards every source into out until the sources close or ctx
// ends; out is closed once all forwarders are done.
func merge(ctx context.Context, out chan<- pdata.Record, sources ...<-chan pdata.Record) {
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rec := range src {
				select {
				case out <- rec:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok: all senders are done
	}()
}

// splitBatches turns pushed batches into records for the batcher.
func splitBatches(ctx context.Context, in <-chan pdata.Batch) <-chan pdata.Record {
	out := make(chan pdata.Record, 1024)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		for {
			select {
			case <-ctx.Done():
				return
			case b := <-in:
				for _, r := range b.Records {
					select {
					case out <- r:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	return out
}

func exportLoop(f *exporter.Fanout, in <-chan pdata.Batch) func(context.Context) error {
	return func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case b := <-in:
				if err := f.ExportAllJoin(ctx, b); err != nil {
					log.Printf("export batch %d: %v", b.ID, err)
				}
			}
		}
	}
}

func main() {
	os.Exit(run())
}

func run() int {
	cfgPath := flag.String("config", "/etc/obsagent/config.json", "configuration file")
	flag.Parse()

	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "obsagent:", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := telemetry.NewRegistry()
	pushed := make(chan pdata.Batch, 64)
	lines := make(chan pdata.Record, 1024)
	records := make(chan pdata.Record, 4096)
	batches := make(chan pdata.Batch, 64)

	httpRecv := receiver.NewHTTPReceiver(cfg.Receivers.HTTPAddr, pushed, nil, reg)
	tcpRecv := receiver.NewTCPReceiver(cfg.Receivers.TCPAddr, lines, reg)
	tailer := receiver.NewTailer(receiver.Discover(cfg.Receivers.TailPaths), cfg.Receivers.StatePath, reg)
	if err := tailer.Restore(); err != nil {
		log.Printf("obsagent: tail state: %v", err)
	}
	merge(ctx, records, lines, tailer.Out(), splitBatches(ctx, pushed))

	sampler := processor.NewSampler(cfg.Processors.SampleRate, reg)
	sampler.SetRates(cfg.Processors.SampleRates)
	attrs, err := processor.Compile(cfg.Processors.Attributes)
	if err != nil {
		log.Printf("obsagent: %v", err)
		return 2
	}
	pipe := processor.NewPipeline(records, batches, sampler, attrs, reg)
	pipe.Batcher.MaxSize = cfg.Processors.BatchSize
	pipe.Batcher.MaxWait = time.Duration(cfg.Processors.BatchWait)

	fan := &exporter.Fanout{}
	m := lifecycle.New(reg)
	m.PIDFile = cfg.PIDFile
	if cfg.Exporters.HTTPURL != "" {
		e := exporter.NewHTTPExporter(cfg.Exporters.HTTPURL, reg)
		fan.Targets = append(fan.Targets, e)
		m.Add(e)
	}
	if cfg.Exporters.FilePath != "" {
		e := exporter.NewFileExporter(cfg.Exporters.FilePath, cfg.Exporters.FileMaxSize, cfg.Exporters.FileBackups)
		fan.Targets = append(fan.Targets, e)
		m.Add(e)
	}
	if cfg.Exporters.TCPAddr != "" {
		fan.Targets = append(fan.Targets, &exporter.TCPForwarder{Addr: cfg.Exporters.TCPAddr, DialTimeout: 5 * time.Second})
	}
	if cfg.Exporters.Stdout {
		fan.Targets = append(fan.Targets, exporter.NewStdoutExporter(nil))
	}

	if cfg.Receivers.HTTPAddr != "" {
		m.Add(httpRecv)
	}
	if cfg.Receivers.TCPAddr != "" {
		m.Add(tcpRecv)
	}
	m.Add(
		newTask("tailer", tailer.RunAndSave),
		newTask("pipeline", func(ctx context.Context) error {
			if err := pipe.StartIsolated(ctx); err != nil {
				return err
			}
			pipe.Wait()
			return nil
		}),
		newTask("export", exportLoop(fan, batches)),
	)

	reloader := config.NewReloader(*cfgPath, cfg)
	reloader.Subscribe(func(c *config.Config) { sampler.SetRates(c.Processors.SampleRates) })
	m.Go(ctx, "config-reloader", reloader.Watch)

	if cfg.TelemetryAddr != "" {
		srv := &http.Server{Addr: cfg.TelemetryAddr, Handler: reg, ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Printf("obsagent: telemetry server: %v", err)
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			srv.Shutdown(sctx) // ok: bounded by the timeout
		}()
	}

	go func() {
		for err := range m.Errors() {
			log.Printf("obsagent: %v", err)
		}
	}()

	grace := time.Duration(cfg.ShutdownGrace)
	if err := m.RunChecked(ctx, grace); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("obsagent: %v", err)
		return 1
	}
	return 0
}
