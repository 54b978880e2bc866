// Package service assembles pipelines from the configuration and runs
// them until the context ends or a component reports a fatal error.
package service

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/config"
	"example.com/otelcol/internal/exporter/fileexp"
	"example.com/otelcol/internal/exporter/httpexp"
	"example.com/otelcol/internal/exporter/stdoutexp"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/processor/batch"
	"example.com/otelcol/internal/processor/filter"
	"example.com/otelcol/internal/processor/sampling"
	"example.com/otelcol/internal/receiver/filetail"
	"example.com/otelcol/internal/receiver/httpjson"
	"example.com/otelcol/internal/receiver/tcpline"
)

// Collector is a running set of pipelines.
type Collector struct {
	logger    *log.Logger
	host      *component.FatalHost
	pipelines []*component.Pipeline

	mu        sync.Mutex
	samplers  map[string]*sampling.Sampler
	teardowns map[string]func()
}

// Build creates the pipelines described by cfg without starting them.
func Build(cfg *config.Config, logger *log.Logger) (*Collector, error) {
	c := &Collector{
		logger:    logger,
		host:      component.NewFatalHost(),
		samplers:  make(map[string]*sampling.Sampler),
		teardowns: make(map[string]func()),
	}
	names := make([]string, 0, len(cfg.Pipelines))
	for name := range cfg.Pipelines {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p, err := c.buildPipeline(cfg, name, cfg.Pipelines[name])
		if err != nil {
			return nil, fmt.Errorf("pipeline %s: %w", name, err)
		}
		c.pipelines = append(c.pipelines, p)
	}
	return c, nil
}

// Pipelines returns the built pipelines.
func (c *Collector) Pipelines() []*component.Pipeline { return c.pipelines }

func (c *Collector) buildPipeline(cfg *config.Config, name string, pc config.PipelineConfig) (*component.Pipeline, error) {
	p := component.NewPipeline(name)
	fan := component.NewFanOut(len(pc.Exporters) > 1)
	for _, en := range pc.Exporters {
		exp, err := buildExporter(cfg.Exporters[en], c.logger)
		if err != nil {
			return nil, fmt.Errorf("exporter %s: %w", en, err)
		}
		p.AddExporter(en, exp)
		fan.Add(en, exp.(component.Consumer))
	}
	var next component.Consumer = fan
	for i := len(pc.Processors) - 1; i >= 0; i-- {
		pn := pc.Processors[i]
		proc, err := c.buildProcessor(name+"/"+pn, cfg.Processors[pn], next)
		if err != nil {
			return nil, fmt.Errorf("processor %s: %w", pn, err)
		}
		p.AddProcessor(pn, proc)
		next = proc.(component.Consumer)
	}
	for _, rn := range pc.Receivers {
		rcv, err := buildReceiver(cfg.Receivers[rn], next, c.logger)
		if err != nil {
			return nil, fmt.Errorf("receiver %s: %w", rn, err)
		}
		p.AddReceiver(rn, rcv)
	}
	return p, nil
}

func buildExporter(ec config.ExporterConfig, logger *log.Logger) (component.Component, error) {
	switch ec.Type {
	case "http":
		return httpexp.New(httpexp.Config{
			Endpoint:   ec.Endpoint,
			Headers:    ec.Headers,
			QueueSize:  ec.QueueSize,
			Workers:    ec.Workers,
			MaxRetries: ec.MaxRetries,
			SpoolDir:   ec.SpoolDir,
		}, logger)
	case "file":
		return fileexp.New(fileexp.Config{Path: ec.Path, MaxBytes: ec.MaxBytes, Compress: ec.Compress}, logger), nil
	case "stdout":
		return stdoutexp.New(os.Stdout, stdoutexp.Normal), nil
	}
	return nil, fmt.Errorf("unknown exporter type %q", ec.Type)
}

func (c *Collector) buildProcessor(id string, pc config.ProcConfig, next component.Consumer) (component.Component, error) {
	switch pc.Type {
	case "batch":
		return batch.New(batch.Config{SendBatchSize: pc.BatchSize, Timeout: time.Duration(pc.Timeout)},
			next, obs.Default, os.Stderr, c.logger), nil
	case "filter":
		rules := make([]filter.Rule, 0, len(pc.Drop))
		for attr, pattern := range pc.Drop {
			rules = append(rules, filter.Rule{Name: attr, Attr: attr, Pattern: pattern})
		}
		return filter.New(rules, nil, next, c.logger)
	case "sampling":
		s, err := sampling.New(pc.Rate, pc.Seed, next, c.logger)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.samplers[id] = s
		c.mu.Unlock()
		return s, nil
	}
	return nil, fmt.Errorf("unknown processor type %q", pc.Type)
}

func buildReceiver(rc config.ReceiverConfig, next component.Consumer, logger *log.Logger) (component.Component, error) {
	switch rc.Type {
	case "httpjson":
		return httpjson.New(httpjson.Config{Endpoint: rc.Endpoint, MaxBody: rc.MaxBody, Timeout: time.Duration(rc.Timeout)}, next, logger), nil
	case "tcpline":
		return tcpline.New(tcpline.Config{Endpoint: rc.Endpoint}, next, logger), nil
	case "filetail":
		return filetail.New(filetail.Config{Include: rc.Include, Poll: time.Duration(rc.Poll)}, next, logger), nil
	}
	return nil, fmt.Errorf("unknown receiver type %q", rc.Type)
}

// Start starts every pipeline; on failure the started ones are stopped.
func (c *Collector) Start(ctx context.Context) error {
	for i, p := range c.pipelines {
		if err := p.Start(ctx, c.host); err != nil {
			for j := i - 1; j >= 0; j-- {
				_ = c.pipelines[j].Shutdown(ctx)
			}
			return err
		}
	}
	return nil
}

// Shutdown stops every pipeline.
func (c *Collector) Shutdown(ctx context.Context) error {
	var errs []error
	for i := len(c.pipelines) - 1; i >= 0; i-- {
		errs = append(errs, c.pipelines[i].Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// Run starts the collector and blocks until ctx ends or a component fails.
// Shutdown gets its own deadline, so the deferred work is bounded.
func (c *Collector) Run(ctx context.Context, grace time.Duration) (err error) {
	if err := c.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		err = errors.Join(err, c.Shutdown(sctx))
	}()
	select {
	case <-ctx.Done():
		return nil
	case err := <-c.host.Errors():
		return fmt.Errorf("fatal component error: %w", err)
	}
}

// OnReload applies the parts of a new configuration that can change
// without a restart: sampling rates.
func (c *Collector) OnReload(_, cur *config.Config) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, s := range c.samplers {
		for pn, pc := range cur.Processors {
			if pc.Type != "sampling" || !strings.HasSuffix(id, "/"+pn) {
				continue
			}
			if err := s.SetRate(pc.Rate); err != nil {
				c.logger.Printf("reload: %s: %v", id, err)
			}
		}
	}
}

// OnTeardown registers fn to run after the named pipeline is stopped by
// StopPipeline (e.g. to remove its spool directory).
func (c *Collector) OnTeardown(pipeline string, fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.teardowns[pipeline] = fn
}

// StopPipeline stops one pipeline, e.g. when a reload removed it.
func (c *Collector) StopPipeline(ctx context.Context, name string) error {
	c.mu.Lock()
	teardown := c.teardowns[name]
	c.mu.Unlock()
	defer teardown() // HAZ defer-nil-func
	for _, p := range c.pipelines {
		if p.Name() == name {
			return p.Shutdown(ctx)
		}
	}
	return fmt.Errorf("no pipeline %q", name)
}

// SafeOnReload is OnReload for the reloader's subscriber list: a bug in
// applying a new configuration must not stop further reloads.
func (c *Collector) SafeOnReload(old, cur *config.Config) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	c.OnReload(old, cur)
}

// WatchConfig applies configuration changes until ctx ends.
func (c *Collector) WatchConfig(ctx context.Context, r *config.Reloader, every time.Duration) {
	defer func() {
		if p := recover(); p != nil {
			c.logger.Printf("config watcher stopped: %v", p)
		}
	}()
	r.Subscribe(c.OnReload)
	go r.Watch(ctx, every) // HAZ goroutine-outside-recover
	<-ctx.Done()
	c.logger.Printf("config watcher: %v", context.Cause(ctx))
}

// ShutdownParallel stops independent pipelines concurrently.
func (c *Collector) ShutdownParallel(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(c.pipelines))
	for _, p := range c.pipelines {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := p.Shutdown(ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", p.Name(), err)
			}
		}()
		c.logger.Printf("stopping pipeline %s", p.Name())
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// portFree reports whether addr can be listened on.
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	defer ln.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("%s is not available: %w", addr, err)
	}
	return nil
}

// CheckEndpoints verifies before a start that the receivers' ports are
// free, so that a reload fails early instead of half-way.
func CheckEndpoints(cfg *config.Config) error {
	var errs []error
	for name, rc := range cfg.Receivers {
		if rc.Endpoint == "" || rc.Type == "filetail" {
			continue
		}
		if err := portFree(rc.Endpoint); err != nil {
			errs = append(errs, fmt.Errorf("receiver %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// StartParallel starts independent pipelines concurrently.
func (c *Collector) StartParallel(ctx context.Context) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(c.pipelines))
	for _, p := range c.pipelines {
		wg.Add(1)
		go func(p *component.Pipeline) {
			if err := p.Start(ctx, c.host); err != nil {
				errc <- fmt.Errorf("%s: %w", p.Name(), err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Rebuild validates cfg and builds a new collector for it, logging the
// outcome; used by hot reload when the pipeline topology changed.
func Rebuild(cfg *config.Config, logger *log.Logger) (*Collector, error) {
	var err error
	defer logger.Printf("rebuild for config version %d finished: err=%v", cfg.Version, err) // HAZ defer-eager-evaluation
	if err = cfg.Validate(); err != nil {
		return nil, err
	}
	if err = CheckEndpoints(cfg); err != nil {
		return nil, err
	}
	c, err := Build(cfg, logger)
	return c, err
}
