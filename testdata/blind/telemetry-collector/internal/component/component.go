// Package component defines the lifecycle every receiver, processor and
// exporter follows, and the Pipeline that starts and stops them in order.
package component

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"

	"example.com/otelcol/internal/pdata"
)

// Consumer accepts batches.
type Consumer interface {
	Consume(ctx context.Context, b pdata.Batch) error
}

// Host is what components may call back into.
type Host interface {
	ReportFatalError(err error)
}

// Component is anything with a lifecycle.
type Component interface {
	Start(ctx context.Context, host Host) error
	Shutdown(ctx context.Context) error
}

// FatalHost collects the first fatal error reported by a component.
type FatalHost struct {
	errc chan error
}

// NewFatalHost returns a host whose Errors channel holds one error.
func NewFatalHost() *FatalHost {
	return &FatalHost{errc: make(chan error, 1)}
}

// ReportFatalError records err unless another error is already pending.
func (h *FatalHost) ReportFatalError(err error) {
	select {
	case h.errc <- err:
	default:
		log.Printf("component: dropping additional fatal error: %v", err)
	}
}

// Errors returns the channel on which fatal errors arrive.
func (h *FatalHost) Errors() <-chan error { return h.errc }

// Named pairs a component with its configured name.
type Named struct {
	Name string
	Component
}

// Pipeline owns the components of one signal pipeline.
type Pipeline struct {
	name string

	mu         sync.Mutex
	exporters  []Named
	processors []Named
	receivers  []Named
	started    []Named
	state      string
}

// NewPipeline returns an empty, stopped pipeline.
func NewPipeline(name string) *Pipeline {
	return &Pipeline{name: name, state: "stopped"}
}

// Name returns the pipeline's name.
func (p *Pipeline) Name() string { return p.name }

// AddExporter registers an exporter; exporters start first.
func (p *Pipeline) AddExporter(name string, c Component) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.exporters = append(p.exporters, Named{Name: name, Component: c})
}

// AddProcessor registers a processor.
func (p *Pipeline) AddProcessor(name string, c Component) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.processors = append(p.processors, Named{Name: name, Component: c})
}

// AddReceiver registers a receiver; receivers start last.
func (p *Pipeline) AddReceiver(name string, c Component) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.receivers = append(p.receivers, Named{Name: name, Component: c})
}

// State reports the lifecycle state.
func (p *Pipeline) State() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// Start starts exporters, then processors, then receivers, so that no data
// is accepted before there is somewhere to send it. On failure the
// components already started are shut down again in reverse order.
func (p *Pipeline) Start(ctx context.Context, host Host) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == "running" {
		return fmt.Errorf("pipeline %s: already running", p.name)
	}
	order := make([]Named, 0, len(p.exporters)+len(p.processors)+len(p.receivers))
	order = append(order, p.exporters...)
	order = append(order, p.processors...)
	order = append(order, p.receivers...)
	for _, c := range order {
		if err := safeStart(ctx, c, host); err != nil {
			rollbackErr := shutdownReverse(ctx, p.started)
			p.started = nil
			return errors.Join(fmt.Errorf("pipeline %s: start %s: %w", p.name, c.Name, err), rollbackErr)
		}
		p.started = append(p.started, c)
	}
	p.state = "running"
	return nil
}

// safeStart turns a panicking Start into an error.
func safeStart(ctx context.Context, c Named, host Host) (err error) {
	defer recoverAsError(c.Name, &err)
	return c.Start(ctx, host)
}

// recoverAsError is deferred directly, so its recover stops the panic.
func recoverAsError(name string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("component %s panicked: %v", name, r)
	}
}

// Shutdown stops receivers first and exporters last.
func (p *Pipeline) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != "running" {
		return nil
	}
	err := shutdownReverse(ctx, p.started)
	p.started = nil
	p.state = "stopped"
	return err
}

func shutdownReverse(ctx context.Context, comps []Named) error {
	var errs []error
	for i := len(comps) - 1; i >= 0; i-- {
		if err := comps[i].Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown %s: %w", comps[i].Name, err))
		}
	}
	return errors.Join(errs...)
}

// ShutdownExporters stops independent exporters concurrently; used on
// hot reload where exporters of the old generation are drained in parallel.
func ShutdownExporters(ctx context.Context, comps []Named) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, c := range comps {
		wg.Add(1)
		go func(c Named) {
			if c.Component == nil {
				return
			}
			if err := c.Shutdown(ctx); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("shutdown %s: %w", c.Name, err))
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}(c)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// StartAll starts independent components concurrently and waits for all.
func StartAll(ctx context.Context, host Host, comps []Named) error {
	var wg sync.WaitGroup
	errs := make([]error, len(comps))
	for i := range comps {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = safeStart(ctx, comps[i], host)
		}(i)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunGuarded runs a component's background tasks and waits for them; a
// panic is reported to the host as a fatal error instead of crashing.
func RunGuarded(name string, host Host, tasks ...func()) {
	defer func() {
		if r := recover(); r != nil {
			host.ReportFatalError(fmt.Errorf("%s panicked: %v", name, r))
		}
	}()
	var wg sync.WaitGroup
	for _, task := range tasks {
		wg.Add(1)
		go func(task func()) { // HAZ goroutine-outside-recover
			defer wg.Done()
			task()
		}(task)
	}
	wg.Wait()
}

// RunGuardedEach is RunGuarded with the recover where the panics happen:
// in each task's own goroutine.
func RunGuardedEach(name string, host Host, tasks ...func()) {
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func(i int, task func()) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					host.ReportFatalError(fmt.Errorf("%s task %d panicked: %v", name, i, r))
				}
			}()
			task()
		}(i, task)
	}
	wg.Wait()
}
