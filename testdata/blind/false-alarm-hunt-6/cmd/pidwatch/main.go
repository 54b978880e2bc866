// Command pidwatch supervises daemons through their pid files: it checks
// each pid periodically and runs a restart command for dead ones.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/runner"
)

// target is one supervised daemon.
type target struct {
	Name    string
	PIDFile string
	Restart []string
}

// watcher checks targets and restarts dead ones, with a back-off per target.
type watcher struct {
	mu       sync.Mutex
	targets  []target
	restarts map[string]int
	lastTry  map[string]time.Time
	backoff  time.Duration
	dryRun   bool
}

func newWatcher(targets []target, backoff time.Duration, dryRun bool) *watcher {
	return &watcher{
		targets:  targets,
		restarts: make(map[string]int),
		lastTry:  make(map[string]time.Time),
		backoff:  backoff,
		dryRun:   dryRun,
	}
}

// parseTarget parses NAME:PIDFILE:CMD ARGS...
func parseTarget(s string) (target, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return target{}, fmt.Errorf("bad target %q, want NAME:PIDFILE:COMMAND", s)
	}
	return target{Name: parts[0], PIDFile: parts[1], Restart: strings.Fields(parts[2])}, nil
}

func main() {
	interval := flag.Duration("interval", 10*time.Second, "check interval")
	backoff := flag.Duration("backoff", time.Minute, "minimum time between restarts")
	dryRun := flag.Bool("n", false, "log instead of restarting")
	pidPath := flag.String("pidfile", "/run/pidwatch.pid", "our own pid file")
	flag.Parse()

	var targets []target
	for _, arg := range flag.Args() {
		t, err := parseTarget(arg)
		if err != nil {
			log.Fatalf("pidwatch: %v", err)
		}
		targets = append(targets, t)
	}
	if len(targets) == 0 {
		log.Fatal("pidwatch: nothing to watch")
	}
	if err := lockfile.WritePIDFile(*pidPath); err != nil {
		log.Fatalf("pidwatch: %v", err)
	}
	defer lockfile.RemovePIDFile(*pidPath)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	w := newWatcher(targets, *backoff, *dryRun)
	w.loop(ctx, *interval)
	log.Printf("pidwatch: stopping, %d restarts", w.total())
}

// loop checks all targets every interval until ctx ends.
func (w *watcher) loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		w.checkAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkAll checks the targets concurrently and joins the goroutines.
func (w *watcher) checkAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range w.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.check(ctx, t)
		}()
	}
	wg.Wait()
}

func (w *watcher) check(ctx context.Context, t target) {
	pid, err := lockfile.ReadPID(t.PIDFile)
	if err == nil && lockfile.Alive(pid) {
		return
	}
	if !w.mayRestart(t.Name, time.Now()) {
		return
	}
	if w.dryRun {
		log.Printf("pidwatch: would restart %s", t.Name)
		return
	}
	res, err := runner.Run(ctx, time.Minute, t.Restart...)
	switch {
	case err != nil:
		log.Printf("pidwatch: restart %s: %v", t.Name, err)
	case res.Failed():
		log.Printf("pidwatch: restart %s exited %d: %s", t.Name, res.ExitCode, res.Stderr)
	default:
		log.Printf("pidwatch: restarted %s", t.Name)
	}
}

// mayRestart applies the back-off. The mutex is unlocked on both paths.
func (w *watcher) mayRestart(name string, now time.Time) bool {
	w.mu.Lock()
	if now.Sub(w.lastTry[name]) < w.backoff {
		w.mu.Unlock()
		return false
	}
	w.lastTry[name] = now
	w.restarts[name]++
	w.mu.Unlock()
	return true
}

func (w *watcher) total() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, c := range w.restarts {
		n += c
	}
	return n
}
