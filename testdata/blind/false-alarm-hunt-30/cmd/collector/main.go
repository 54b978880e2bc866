// Command collector runs one traces pipeline: HTTP and TCP receivers, the
// memory limiter and batch processors, and OTLP/HTTP and file exporters.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/exporter/exporterhelper"
	"example.com/fah30/exporter/fileexporter"
	"example.com/fah30/exporter/otlphttpexporter"
	"example.com/fah30/extension/healthcheck"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/internal/pipeline"
	"example.com/fah30/processor/batchprocessor"
	"example.com/fah30/processor/fanoutconsumer"
	"example.com/fah30/processor/memorylimiter"
	"example.com/fah30/receiver/httpreceiver"
	"example.com/fah30/receiver/tcpreceiver"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run returns the exit code, so that its defers run before main exits.
func run(args []string) int {
	fs := flag.NewFlagSet("collector", flag.ContinueOnError)
	cfgPath := fs.String("config", "collector.json", "path to the configuration file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := log.New(os.Stderr, "collector: ", log.LstdFlags|log.Lmsgprefix)
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		logger.Printf("config: %v", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	board := component.NewStatusBoard()
	p, err := buildPipeline(cfg, board, logger)
	if err != nil {
		logger.Printf("build pipeline: %v", err)
		return 1
	}
	if err := p.Run(ctx, cfg.ShutdownGrace.Duration); err != nil {
		logger.Printf("%v", err)
		return 1
	}
	return 0
}

// buildPipeline wires the components. They are added in data-flow order;
// the pipeline starts them in reverse.
func buildPipeline(cfg config, board *component.StatusBoard, logger *log.Logger) (*pipeline.Pipeline, error) {
	p := pipeline.New("traces", board, logger, pipeline.Hooks{
		OnStopped: func() { logger.Printf("pipeline stopped") },
	})

	var exporters []consumer.Traces
	var probers = map[string]healthcheck.Prober{}
	var exporterIDs []component.ID
	var exporterComps []component.Component
	if cfg.ExporterEndpoint != "" {
		exp, err := otlphttpexporter.New(otlphttpexporter.Config{
			Endpoint: cfg.ExporterEndpoint,
			Timeout:  10 * time.Second,
			Retry:    exporterhelper.DefaultRetrySettings(),
		}, obsreport.NewRecorder("otlphttp", logger), logger)
		if err != nil {
			return nil, err
		}
		exporters = append(exporters, exp)
		probers["otlphttp"] = exp
		exporterIDs = append(exporterIDs, component.ID{Type: "otlphttp"})
		exporterComps = append(exporterComps, exp)
	}
	if cfg.FilePath != "" {
		exp := fileexporter.New(fileexporter.Config{Path: cfg.FilePath, RotateBytes: 256 << 20, MaxBackups: 10, Compress: true},
			obsreport.NewRecorder("file", logger), logger)
		exporters = append(exporters, exp)
		exporterIDs = append(exporterIDs, component.ID{Type: "file"})
		exporterComps = append(exporterComps, exp)
	}

	batch, err := batchprocessor.New(batchprocessor.Config{Timeout: cfg.BatchTimeout.Duration, SendBatchSize: cfg.BatchSize},
		fanoutconsumer.New(logger, exporters...), obsreport.NewRecorder("batch", logger), logger)
	if err != nil {
		return nil, err
	}
	limiter, err := memorylimiter.New(memorylimiter.Config{CheckInterval: time.Second, LimitMiB: cfg.MemoryLimitMiB},
		batch, obsreport.NewRecorder("memory_limiter", logger), logger)
	if err != nil {
		return nil, err
	}

	if cfg.HTTPEndpoint != "" {
		p.Add(component.ID{Type: "http"}, httpreceiver.New(httpreceiver.Config{Endpoint: cfg.HTTPEndpoint},
			limiter, nil, obsreport.NewRecorder("http", logger), logger))
	}
	if cfg.TCPEndpoint != "" {
		p.Add(component.ID{Type: "tcp"}, tcpreceiver.New(component.ID{Type: "tcp"}, tcpreceiver.Config{Endpoint: cfg.TCPEndpoint, IdleTimeout: time.Minute},
			limiter, obsreport.NewRecorder("tcp", logger), logger))
	}
	p.Add(component.ID{Type: "memory_limiter"}, limiter)
	p.Add(component.ID{Type: "batch"}, batch)
	for i, id := range exporterIDs {
		p.Add(id, exporterComps[i])
	}
	if cfg.HealthEndpoint != "" {
		p.Add(component.ID{Type: "health_check"}, healthcheck.New(healthcheck.Config{Endpoint: cfg.HealthEndpoint}, board, probers, logger))
	}
	return p, nil
}
