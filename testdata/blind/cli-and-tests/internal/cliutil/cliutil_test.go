package cliutil

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"help", flag.ErrHelp, ExitOK},
		{"usage", &UsageError{Msg: "bad flag"}, ExitUsage},
		{"wrapped usage", fmt.Errorf("parse: %w", &UsageError{Msg: "x"}), ExitUsage},
		{"canceled", context.Canceled, ExitCanceled},
		{"other", errors.New("boom"), ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // ok: tt is per-iteration under go1.22
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func mayPanic(v any) (err error) {
	defer RecoverTo(&err)
	if v != nil {
		panic(v)
	}
	return nil
}

func TestRecoverTo(t *testing.T) {
	if err := mayPanic(nil); err != nil {
		t.Fatalf("no panic: got %v", err)
	}
	err := mayPanic("kaboom")
	if !IsPanic(err) {
		t.Fatalf("want a PanicError, got %v", err)
	}
	if !strings.Contains(err.Error(), "kaboom") {
		t.Errorf("error %q does not mention the panic value", err)
	}
}

func TestGoReportsPanic(t *testing.T) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	report := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	Go(&wg, report, func() { panic("in goroutine") })
	Go(&wg, report, func() {})
	wg.Wait()
	if len(errs) != 1 || !IsPanic(errs[0]) {
		t.Fatalf("errs = %v, want one panic", errs)
	}
}

func TestTrace(t *testing.T) {
	var buf bytes.Buffer
	restore := SetOutput(&buf)
	t.Cleanup(restore)

	func() {
		defer Trace("step")() // ok: Trace runs now, the returned func at exit
		time.Sleep(time.Millisecond)
	}()
	out := buf.String()
	if !strings.Contains(out, "step: start") || !strings.Contains(out, "step: done in") {
		t.Errorf("trace output = %q", out)
	}
}

func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	p := Profiles{CPU: filepath.Join(dir, "cpu.out"), Mem: filepath.Join(dir, "mem.out")}
	stop, err := p.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("stop profiles: %v", err)
		}
		for _, f := range []string{p.CPU, p.Mem} {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("profile missing: %v", err)
			}
		}
	}()
	sum := 0
	for i := range 100000 {
		sum += i
	}
	_ = sum
}

func TestProfilesNone(t *testing.T) {
	stop, err := Profiles{}.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop() // ok: Start never returns a nil stop func without an error
}

func BenchmarkTrace(b *testing.B) {
	restore := SetOutput(&bytes.Buffer{})
	defer restore()
	for i := 0; i < b.N; i++ {
		func() {
			defer Trace("bench")() // ok: the defer is inside the literal
		}()
	}
}
