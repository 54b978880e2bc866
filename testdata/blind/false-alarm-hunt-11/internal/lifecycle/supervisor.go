package lifecycle

import (
	"context"
	"io"
	"log"
	"sync"
	"time"
)

// Service is a long-running component restarted by a Supervisor.
type Service interface {
	Name() string
	Run(ctx context.Context) error
}

// Supervisor runs services and restarts them, with a backoff, when they
// return or panic.
type Supervisor struct {
	logger    *log.Logger
	backoff   time.Duration
	heartbeat time.Duration
	services  []Service

	mu       sync.Mutex
	beats    map[string]time.Time
	cleanups map[string]func()

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// NewSupervisor returns a supervisor. A zero heartbeat disables beats.
func NewSupervisor(logger *log.Logger, backoff, heartbeat time.Duration) *Supervisor {
	return &Supervisor{
		logger:    logger,
		backoff:   backoff,
		heartbeat: heartbeat,
		beats:     make(map[string]time.Time),
		cleanups:  make(map[string]func()),
		stop:      make(chan struct{}),
	}
}

// Add registers svc. It must be called before Start.
func (s *Supervisor) Add(svc Service) {
	s.services = append(s.services, svc)
}

// OnCleanup registers fn to run after a one-shot run of the named service.
func (s *Supervisor) OnCleanup(name string, fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanups[name] = fn
}

// RunOneShot runs svc once, outside supervision, for batch jobs, then
// runs the cleanup registered for it.
func (s *Supervisor) RunOneShot(ctx context.Context, svc Service) error {
	s.mu.Lock()
	cleanup := s.cleanups[svc.Name()]
	s.mu.Unlock()
	defer cleanup() // HAZ defer-nil-func
	return svc.Run(ctx)
}

// Start launches one supervising goroutine per service. They run until
// ctx is done or Stop is called.
func (s *Supervisor) Start(ctx context.Context) {
	for _, svc := range s.services {
		s.wg.Add(1)
		go s.supervise(ctx, svc)
	}
}

func (s *Supervisor) supervise(ctx context.Context, svc Service) {
	defer s.wg.Done()
	for {
		var err error
		if s.heartbeat > 0 {
			err = s.runWithHeartbeat(ctx, svc)
		} else {
			err = s.runOnce(ctx, svc)
		}
		if ctx.Err() != nil {
			return
		}
		s.logger.Printf("%s exited: %v; restarting in %s", svc.Name(), err, s.backoff)
		select {
		case <-time.After(s.backoff):
		case <-ctx.Done():
			return
		case <-s.stop:
			return
		}
	}
}

// runOnce runs svc, converting a panic into an error.
func (s *Supervisor) runOnce(ctx context.Context, svc Service) (err error) {
	defer RecoverTo(&err)
	return svc.Run(ctx)
}

// runWithHeartbeat is runOnce plus a heartbeat published while svc runs.
func (s *Supervisor) runWithHeartbeat(ctx context.Context, svc Service) (err error) {
	defer RecoverTo(&err)
	hbCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	go func() { // HAZ goroutine-outside-recover
		t := time.NewTicker(s.heartbeat)
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				s.beat(svc.Name())
			}
		}
	}()
	return svc.Run(ctx)
}

func (s *Supervisor) beat(name string) {
	s.mu.Lock()
	s.beats[name] = time.Now()
	s.mu.Unlock()
}

// LastBeat returns the time of the last heartbeat of the named service.
func (s *Supervisor) LastBeat(name string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.beats[name]
	return t, ok
}

// Stop stops restarting services, waits for the supervising goroutines
// and closes services that implement io.Closer. Services are expected to
// return once the context passed to Start is cancelled.
func (s *Supervisor) Stop() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.wg.Wait()
	for _, svc := range s.services {
		if c, ok := svc.(io.Closer); ok {
			CloseQuietly(c)
		}
	}
}
