package exits

import (
	"context"
	"log"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
)

// Exits before any defer is registered.
func early(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
}

// The exit is inside a function literal: the outer defers are another function's.
func inLiteral() {
	defer cleanup()
	go func() {
		log.Fatal("in goroutine")
	}()
	handler := func() { os.Exit(1) }
	_ = handler
}

// A deferred exit.
func deferredExit() {
	defer cleanup()
	defer os.Exit(0)
}

// Only harmless defers are pending: unlock, cancel, Done, timer stop.
var mu sync.Mutex

func harmlessOnly(wg *sync.WaitGroup) {
	mu.Lock()
	defer mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	defer wg.Done()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	defer func() {
		if r := recover(); r != nil {
			mu.Unlock()
		}
	}()
	<-ctx.Done()
	os.Exit(1)
}

// Not exits: other log levels.
func infoOnly(l *logrus.Logger, z *zerolog.Logger) {
	defer cleanup()
	logrus.Info("x")
	l.Infof("x")
	z.Info().Msg("x")
	log.Println("x")
}

// The exit comes after a return on the path with the defer.
func returnsFirst(ok bool) {
	if ok {
		defer cleanup()
		return
	}
	os.Exit(1)
}

// A helper that exits only for some arguments, called with a constant: the call is not taken for
// an exit (the constant is not evaluated).
func maybeExit(code int) {
	if code != 0 {
		os.Exit(code)
	}
}

func callsMaybe() {
	defer cleanup()
	maybeExit(0)
}

// panic runs the defers.
func panics() {
	defer cleanup()
	panic("boom")
}

// A deferred exit pending when another exit runs: the process ends either way.
func helperProcess(fail bool) {
	defer os.Exit(0)
	if fail {
		os.Exit(2)
	}
}

type flusher struct{ n int }

func (f *flusher) Flush() error { f.n = 0; return nil }

// The deferred cleanup is also run by hand right before the exit: nothing is lost.
func flushThenExit(out *flusher, failed bool) {
	defer out.Flush()
	if failed {
		out.Flush()
		os.Exit(1)
	}
}

// A stop function whose job ends with the process: unregistering a callback.
func stopFuncs(ctx context.Context, failed bool) {
	stop := context.AfterFunc(ctx, func() {})
	defer stop()
	if failed {
		os.Exit(1)
	}
}

// zap syncs a Fatal entry itself before it exits: a pending Sync loses nothing.
func zapSyncOnly(cfgPath string) {
	logger := zap.NewExample()
	defer logger.Sync()
	if cfgPath == "" {
		logger.Fatal("no config")
	}
}

// Closing a channel matters to nobody once the process has ended.
func closeChanOnly(done chan struct{}, failed bool) {
	defer close(done)
	if failed {
		os.Exit(1)
	}
}

type outBuf struct{ n int }

func (b *outBuf) Flush() error { b.n = 0; return nil }

// The exiting helper flushes before it exits: the deferred flush has nothing left to do.
func flushInHelper(steps []func() error) {
	w := &outBuf{}
	defer w.Flush()
	fail := func(err error) {
		w.Flush()
		log.Print(err)
		os.Exit(1)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			fail(err)
		}
	}
}
