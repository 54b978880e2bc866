// Command lockrun runs a command while holding a lock file, forwards
// SIGINT/SIGTERM to the child and exits with the child's status.
//
//	lockrun /run/job.lock rsync -a src/ dst/
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/shutdown"
)

const (
	exitUsage  = 64
	exitLocked = 75
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: lockrun LOCKFILE COMMAND [ARGS...]")
		os.Exit(exitUsage)
	}
	os.Exit(lockAndRun(os.Args[1], os.Args[2:]))
}

// lockAndRun returns the exit status; the lock is released by its defer
// before main calls os.Exit.
func lockAndRun(lockPath string, argv []string) int {
	lk, err := lockfile.AcquireWait(lockPath, waitFor(), time.Second)
	if errors.Is(err, lockfile.ErrLocked) {
		fmt.Fprintf(os.Stderr, "lockrun: %s is held\n", lockPath)
		return exitLocked
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "lockrun: %v\n", err)
		return 1
	}
	defer func() {
		if err := lk.Release(); err != nil {
			fmt.Fprintf(os.Stderr, "lockrun: release: %v\n", err)
		}
	}()
	code, err := runChild(argv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lockrun: %v\n", err)
	}
	return code
}

// waitFor reads LOCKRUN_WAIT (a duration), default zero.
func waitFor() time.Duration {
	d, err := time.ParseDuration(os.Getenv("LOCKRUN_WAIT"))
	if err != nil {
		return 0
	}
	return d
}

// runChild starts the child and forwards termination signals to it until
// it exits. The signal channel is stopped by a defer; nothing deferred here
// blocks.
func runChild(argv []string) (int, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return 127, err
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			_ = cmd.Process.Signal(s)
		case err := <-done:
			return exitStatus(err)
		}
	}
}

// exitStatus converts the Wait error into a shell-style status.
func exitStatus(err error) (int, error) {
	if err == nil {
		return 0, nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return 1, err
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return shutdown.ExitCode(ws.Signal()), nil
	}
	return ee.ExitCode(), nil
}

// holdUntilSignal is the -hold mode: keep the lock until the operator
// presses ^C. Signal handling comes from the shutdown package, which wraps
// signal.NotifyContext.
func holdUntilSignal(lockPath string) error {
	lk, err := lockfile.AcquireStale(lockPath)
	if err != nil {
		return err
	}
	defer lk.Release()
	ctx, stop := shutdown.Context(context.Background())
	defer stop()
	fmt.Fprintf(os.Stderr, "lockrun: holding %s, ^C to release\n", lockPath)
	<-ctx.Done()
	return nil
}
