// crt-shim is started by crtd for every container. It prepares the
// container's mounts, runs its init process, serves its console socket
// and, whatever happens, cleans up its state when the container exits or
// when the shim itself receives SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/proc"
	"example.com/crt/internal/signals"
	"example.com/crt/internal/state"
)

type config struct {
	id       string
	bundle   string
	stateDir string
	notify   string
	grace    time.Duration
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("crt-shim", flag.ContinueOnError)
	fs.StringVar(&cfg.id, "id", "", "container id")
	fs.StringVar(&cfg.bundle, "bundle", "", "bundle directory")
	fs.StringVar(&cfg.stateDir, "state", "", "container state directory")
	fs.StringVar(&cfg.notify, "notify", "", "node agent socket to notify of the exit")
	fs.DurationVar(&cfg.grace, "grace", 10*time.Second, "grace period on SIGTERM")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.id == "" || cfg.bundle == "" || cfg.stateDir == "" {
		return cfg, errors.New("-id, -bundle and -state are required")
	}
	return cfg, nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "hooks" {
		hooksMain(os.Args[2:])
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "crt-shim:", err)
		os.Exit(2)
	}
	os.Exit(run(cfg))
}

// hooksMain implements "crt-shim hooks <stage> <bundle> <state-dir>": it
// runs the bundle's hooks of one stage. Hooks get the container state on
// stdin and, for the ones that want a file, in $CRT_STATE_FILE.
func hooksMain(args []string) {
	log.SetPrefix("crt-shim hooks: ")
	if len(args) != 3 {
		log.Fatal("usage: crt-shim hooks <stage> <bundle> <state-dir>")
	}
	stage, bundle, stateDir := args[0], args[1], args[2]
	var hooks map[string][]proc.Hook
	if err := state.ReadJSON(filepath.Join(bundle, "hooks.json"), &hooks); err != nil {
		log.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(stateDir, "state.json"))
	if err != nil {
		log.Fatal(err)
	}
	copyPath := filepath.Join(stateDir, "hook-state-"+stage+".json")
	if err := state.WriteFileAtomic(copyPath, raw, 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(copyPath)

	list := hooks[stage]
	for i := range list {
		list[i].Env = append(list[i].Env, "CRT_STATE_FILE="+copyPath)
	}
	if err := proc.RunHooks(context.Background(), list, raw); err != nil {
		log.Fatalf("%s: %v", stage, err) // HAZ exit-skips-defer
	}
}

// run owns the container for its whole life and returns the shim's exit
// status. All cleanup is deferred here, and SIGTERM/SIGINT only cancel
// ctx, so the deferred cleanup runs on every way out.
func run(cfg config) int {
	logger := log.New(os.Stderr, "crt-shim["+cfg.id+"]: ", log.LstdFlags)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	lock, err := state.AcquireLock(filepath.Join(cfg.stateDir, "shim.lock"))
	if err != nil {
		logger.Printf("lock: %v", err)
		return 1
	}
	defer lock.Release()

	pidPath := filepath.Join(cfg.stateDir, "shim.pid")
	if err := state.WritePIDFile(pidPath, os.Getpid()); err != nil {
		logger.Printf("pid file: %v", err)
		return 1
	}
	defer state.RemovePIDFile(pidPath, os.Getpid())

	mounts, err := cgroup.LoadMountTable(filepath.Join(cfg.stateDir, "mounts.json"))
	if err != nil {
		logger.Printf("mount table: %v", err)
		return 1
	}
	defer cleanupMounts(mounts, logger)

	rootfs, err := prepareRootfs(cfg.bundle, cfg.stateDir, mounts)
	if err != nil {
		logger.Printf("rootfs: %v", err)
		return 1
	}
	spec, err := loadSpecLocked(cfg.bundle)
	if err != nil {
		logger.Printf("process spec: %v", err)
		return 1
	}

	console, err := newConsole(filepath.Join(cfg.stateDir, "console.sock"), logger)
	if err != nil {
		logger.Printf("console: %v", err)
		return 1
	}
	defer console.Close()
	go console.Serve()

	out := io.MultiWriter(newLineLog(filepath.Join(cfg.stateDir, "logs", "output.log"), logger), console)
	p, err := proc.Start(context.Background(), proc.Spec{
		ID:     cfg.id,
		Path:   spec.Args[0],
		Args:   spec.Args[1:],
		Env:    spec.Env,
		Dir:    spec.Cwd,
		Chroot: rootfs,
		Stdout: out,
		Stderr: out,
	})
	if err != nil {
		logger.Printf("start: %v", err)
		return 1
	}
	fwd := signals.Start(p.Pid(), logger)
	defer fwd.Stop()

	select {
	case <-p.Done():
	case <-ctx.Done():
		logger.Printf("terminating container (grace %s)", cfg.grace)
		if err := p.Stop(cfg.grace); err != nil {
			logger.Printf("stop: %v", err)
		}
	}
	code := proc.ExitCode(p.Wait())
	logger.Printf("container exited with status %d (%d console clients attached)", code, console.Attached())
	if err := writeExitStatus(cfg.stateDir, code); err != nil {
		logger.Printf("exit status: %v", err)
	}
	if cfg.notify != "" {
		if err := notifyAgent(cfg.notify, cfg.id, code); err != nil {
			logger.Printf("notify %s: %v", cfg.notify, err)
		}
	}
	return code
}
