package metrics

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// AlreadyRegisteredError is returned when a family name is taken.
type AlreadyRegisteredError struct {
	Name     string
	Existing Collector
}

func (e *AlreadyRegisteredError) Error() string {
	return fmt.Sprintf("metrics: a collector for %q is already registered", e.Name)
}

// Family is the gathered state of one metric family.
type Family struct {
	Name    string
	Help    string
	Type    MetricType
	Samples []Sample
}

// Registry holds collectors and gathers them.
type Registry struct {
	mu         sync.RWMutex
	collectors map[string]Collector
	onGather   map[string]func()
	logger     *log.Logger

	gatherDur *Histogram
}

// NewRegistry returns an empty registry that also exposes its own gather
// latency.
func NewRegistry(logger *log.Logger) *Registry {
	r := &Registry{collectors: map[string]Collector{}, onGather: map[string]func(){}, logger: logger}
	r.gatherDur = NewHistogram("metrics_gather_duration_seconds", "Time spent gathering.", nil)
	r.collectors[r.gatherDur.desc.Name] = r.gatherDur
	return r
}

// Register adds c under each of its family names.
func (r *Registry) Register(c Collector) error {
	descs := c.Describe()
	if len(descs) == 0 {
		return errors.New("metrics: collector describes no families")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range descs {
		if existing, ok := r.collectors[d.Name]; ok {
			return &AlreadyRegisteredError{Name: d.Name, Existing: existing}
		}
	}
	for _, d := range descs {
		r.collectors[d.Name] = c
	}
	return nil
}

// MustRegister registers cs and panics on the first error.
func (r *Registry) MustRegister(cs ...Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
}

// Unregister removes c; it reports whether anything was removed.
func (r *Registry) Unregister(c Collector) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	removed := false
	for _, d := range c.Describe() {
		if r.collectors[d.Name] == c {
			delete(r.collectors, d.Name)
			removed = true
		}
	}
	return removed
}

// OnGather registers a hook run before every gather.
func (r *Registry) OnGather(name string, fn func()) {
	r.mu.Lock()
	r.onGather[name] = fn
	r.mu.Unlock()
}

// collectorsSnapshot returns the distinct collectors and hooks.
func (r *Registry) collectorsSnapshot() ([]Collector, []func()) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	seen := map[Collector]bool{}
	var cs []Collector
	for _, c := range r.collectors {
		if !seen[c] {
			seen[c] = true
			cs = append(cs, c)
		}
	}
	hooks := make([]func(), 0, len(r.onGather))
	for _, h := range r.onGather {
		hooks = append(hooks, h)
	}
	return cs, hooks
}

// safeCollect turns a collector panic into an error.
func safeCollect(c Collector, ch chan<- Sample) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("metrics: collector %T panicked: %v", c, v)
		}
	}()
	c.Collect(ch)
	return nil
}

// Gather collects every collector concurrently. The channel is closed by a
// goroutine only after all senders are done, and the loop below drains it
// completely, so no sender can block or send on a closed channel.
func (r *Registry) Gather() ([]*Family, error) {
	t := NewTimer(r.gatherDur)
	defer t.ObserveDuration()
	cs, hooks := r.collectorsSnapshot()
	for _, h := range hooks {
		h()
	}
	ch := make(chan Sample, 64)
	var (
		wg    sync.WaitGroup
		errMu sync.Mutex
		errs  []error
	)
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := safeCollect(c, ch); err != nil {
				errMu.Lock()
				errs = append(errs, err)
				errMu.Unlock()
			}
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	byName := map[string]*Family{}
	for s := range ch {
		f := byName[s.Desc.Name]
		if f == nil {
			f = &Family{Name: s.Desc.Name, Help: s.Desc.Help, Type: s.Desc.Type}
			byName[s.Desc.Name] = f
		}
		f.Samples = append(f.Samples, s)
	}
	fams := make([]*Family, 0, len(byName))
	for _, f := range byName {
		fams = append(fams, f)
	}
	sort.Slice(fams, func(i, j int) bool { return fams[i].Name < fams[j].Name })
	return fams, errors.Join(errs...)
}

// GatherEvery gathers on a ticker and hands the result to sink until stop
// is closed. Each round runs in a function literal so its timer's
// deferred Stop fires every round.
func (r *Registry) GatherEvery(interval time.Duration, stop <-chan struct{}, sink func([]*Family)) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		func() {
			t := time.NewTimer(interval)
			defer t.Stop()
			select {
			case <-stop:
			case <-t.C:
				fams, err := r.Gather()
				if err != nil {
					r.logger.Printf("metrics: gather: %v", err)
				}
				sink(fams)
			}
		}()
	}
}
