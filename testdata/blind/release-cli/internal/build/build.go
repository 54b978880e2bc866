// Package build cross-compiles the configured targets.
package build

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/releasecli/internal/config"
	"example.com/releasecli/internal/state"
	"example.com/releasecli/internal/timing"
)

// Hook is an in-process post-build step (strip, compress, notarize).
type Hook func(ctx context.Context, a state.Artifact) error

// Builder compiles every target of a configuration into the dist directory.
type Builder struct {
	cfg   *config.Config
	run   *Runner
	reg   *state.Registry
	log   *log.Logger
	sw    *timing.Stopwatch
	hooks map[string]Hook
}

// VersionInfo is what "git" tells us about the checkout.
type VersionInfo struct {
	Tag    string
	Commit string
	Dirty  bool
}

// New returns a Builder writing artifacts into reg.
func New(cfg *config.Config, reg *state.Registry, logger *log.Logger, sw *timing.Stopwatch) *Builder {
	return &Builder{
		cfg:   cfg,
		run:   &Runner{Env: cfg.Env, Stdout: os.Stdout, Stderr: os.Stderr, Log: logger},
		reg:   reg,
		log:   logger,
		sw:    sw,
		hooks: make(map[string]Hook),
	}
}

// Runner exposes the command runner, for the sign and package steps.
func (b *Builder) Runner() *Runner {
	return b.run
}

// RegisterHook adds a named post-build hook.
func (b *Builder) RegisterHook(name string, h Hook) {
	b.hooks[name] = h
}

// Run performs the whole build: before hooks, generate, compile, post hooks.
func (b *Builder) Run(ctx context.Context) error {
	lock, err := AcquireLock(b.cfg.DistDir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lock.Release(); rerr != nil {
			err = fmt.Errorf("build: release lock: %w", rerr)
		}
	}()

	if err = b.runShellHooks(ctx, b.cfg.Hooks.Before); err != nil {
		return err
	}
	if err = b.generate(ctx); err != nil {
		return err
	}
	if err = b.withVersionFile(ctx, b.BuildAll); err != nil {
		return err
	}
	err = b.runHooks(ctx)
	return err
}

func (b *Builder) generate(ctx context.Context) error {
	defer timing.Track(b.log, "go generate") // HAZ defer-func-result-not-called
	return b.run.Run(ctx, "go", "generate", "./...")
}

// BuildAll compiles every configured target concurrently.
func (b *Builder) BuildAll(ctx context.Context) error {
	defer b.sw.Start("compile")()
	var wg sync.WaitGroup
	errs := make(chan error, len(b.cfg.Targets))
	for _, t := range b.cfg.Targets {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := b.buildTarget(ctx, t); err != nil {
				errs <- fmt.Errorf("build %s: %w", t, err)
			}
		}()
		b.log.Printf("queued %s", t)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (b *Builder) buildTarget(ctx context.Context, t config.Target) error {
	defer b.sw.Start("compile " + t.String())()
	out := b.outputPath(t)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return b.withToolchain(t, func(env []string) error {
		args := []string{"build", "-trimpath", "-o", out}
		if ld := b.ldflags(t); ld != "" {
			args = append(args, "-ldflags", ld)
		}
		args = append(args, b.cfg.Main)
		if err := b.run.RunEnv(ctx, env, "go", args...); err != nil {
			return err
		}
		return b.reg.Add(state.Artifact{
			Name:   fmt.Sprintf("%s_%s_%s", b.cfg.Project, t.OS, t.Arch),
			Path:   out,
			OS:     t.OS,
			Arch:   t.Arch,
			Format: "binary",
		})
	})
}

// withToolchain prepares the environment for t; cgo targets get a CC wrapper
// script that is removed again afterwards.
func (b *Builder) withToolchain(t config.Target, fn func(env []string) error) error {
	var restore func()
	env := []string{"GOOS=" + t.OS, "GOARCH=" + t.Arch, "CGO_ENABLED=0"}
	if t.CGO {
		wrapper, err := writeCCWrapper(b.cfg.DistDir, t)
		if err != nil {
			return err
		}
		env[2] = "CGO_ENABLED=1"
		env = append(env, "CC="+wrapper)
		restore = func() { os.Remove(wrapper) }
	}
	defer restore() // HAZ defer-nil-func
	return fn(env)
}

// withVersionFile writes a generated version file into the main package for
// the duration of fn.
func (b *Builder) withVersionFile(ctx context.Context, fn func(context.Context) error) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	if b.cfg.Version != "" {
		p := filepath.Join(b.cfg.Main, "zz_version_generated.go")
		if err := writeVersionFile(p, b.cfg.Version); err != nil {
			return err
		}
		cleanup = func() { os.Remove(p) }
	}
	return fn(ctx)
}

// withLdflagsFile is the variant used for the "-ldflags=@file" mode: the
// file is removed by a closure that reads the final path at exit.
func (b *Builder) withLdflagsFile(ctx context.Context, fn func(ctx context.Context, path string) error) error {
	var path string
	defer func() {
		if path != "" {
			os.Remove(path)
		}
	}()
	f, err := os.CreateTemp(b.cfg.DistDir, "ldflags-*.txt")
	if err != nil {
		return err
	}
	path = f.Name()
	if _, err := f.WriteString(b.ldflags(config.Target{})); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return fn(ctx, path)
}

func (b *Builder) outputPath(t config.Target) string {
	name := b.cfg.Project
	if t.OS == "windows" {
		name += ".exe"
	}
	return filepath.Join(b.cfg.DistDir, fmt.Sprintf("%s_%s_%s", b.cfg.Project, t.OS, t.Arch), name)
}

func (b *Builder) ldflags(t config.Target) string {
	parts := []string{"-s", "-w"}
	if b.cfg.Version != "" {
		parts = append(parts, "-X", "main.version="+b.cfg.Version)
	}
	if t.Ldflags != "" {
		parts = append(parts, t.Ldflags)
	}
	return strings.Join(parts, " ")
}

// writeVersionFile generates a tiny Go file with the version constant.
func writeVersionFile(path, version string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "// Code generated by relcli. DO NOT EDIT.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "package main")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "func init() { version = %q }\n", version)
	return w.Flush()
}

// writeCCWrapper writes a shell script calling the cross compiler for t.
func writeCCWrapper(dir string, t config.Target) (string, error) {
	cc := t.CC
	if cc == "" {
		cc = "zig cc -target " + zigTriple(t)
	}
	p := filepath.Join(dir, fmt.Sprintf(".cc-%s-%s.sh", t.OS, t.Arch))
	script := "#!/bin/sh\nexec " + cc + " \"$@\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		return "", err
	}
	return p, nil
}

func zigTriple(t config.Target) string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "x86"}[t.Arch]
	if arch == "" {
		arch = t.Arch
	}
	osName := t.OS
	if osName == "darwin" {
		osName = "macos"
	}
	return arch + "-" + osName
}

// Smoke runs every binary built for the host platform with --version.
func (b *Builder) Smoke(ctx context.Context) error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	for _, a := range b.reg.Snapshot() {
		if a.OS != runtime.GOOS || a.Arch != runtime.GOARCH {
			continue
		}
		a := a
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := b.run.OutputTimeout(ctx, 10*time.Second, a.Path, "--version")
			if err != nil || !strings.Contains(out, b.cfg.Version) {
				mu.Lock()
				failed = append(failed, a.Name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failed) > 0 {
		sort.Strings(failed)
		return fmt.Errorf("build: smoke test failed for %s", strings.Join(failed, ", "))
	}
	return nil
}

// VersionInfo asks git for the latest tag and the current commit.
func (b *Builder) VersionInfo(ctx context.Context) (VersionInfo, error) {
	commitCh := make(chan string)
	go func() {
		out, _ := b.run.Output(ctx, "git", "rev-parse", "HEAD")
		commitCh <- out // HAZ goroutine-blocked-send
	}()

	tag, err := b.run.Output(ctx, "git", "describe", "--tags", "--abbrev=0")
	if err != nil {
		return VersionInfo{}, fmt.Errorf("build: no release tag: %w", err)
	}
	return VersionInfo{Tag: tag, Commit: <-commitCh}, nil
}

// IsDirty reports whether the work tree has uncommitted changes; the status
// and the diff-index checks run concurrently.
func (b *Builder) IsDirty(ctx context.Context) (bool, error) {
	statusCh := make(chan string, 1)
	go func() {
		out, _ := b.run.Output(ctx, "git", "status", "--porcelain")
		statusCh <- out
	}()

	if _, err := b.run.Output(ctx, "git", "diff-index", "--quiet", "HEAD", "--"); err != nil {
		return true, nil
	}
	return <-statusCh != "", nil
}

func (b *Builder) runShellHooks(ctx context.Context, cmds []string) error {
	for _, c := range cmds {
		if err := b.run.Run(ctx, "sh", "-c", c); err != nil {
			return fmt.Errorf("hook %q: %w", c, err)
		}
	}
	return nil
}

func (b *Builder) runHooks(ctx context.Context) error {
	names := make([]string, 0, len(b.hooks))
	for n := range b.hooks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, a := range b.reg.Snapshot() {
		for _, n := range names {
			if err := b.runHook(ctx, n, a); err != nil {
				return fmt.Errorf("hook %s on %s: %w", n, a.Name, err)
			}
		}
	}
	return b.runShellHooks(ctx, b.cfg.Hooks.After)
}

// runHook runs one registered hook; hooks come from plugins, so a crash in
// one of them must not abort the whole release.
func (b *Builder) runHook(ctx context.Context, name string, a state.Artifact) error {
	h, ok := b.hooks[name]
	if !ok {
		return fmt.Errorf("unknown hook %q", name)
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// best effort: hooks are optional
		}
	}()
	return h(ctx, a)
}

// VetAll runs "go vet" on every package concurrently.
func (b *Builder) VetAll(ctx context.Context, pkgs []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(pkgs))
	for _, p := range pkgs {
		wg.Add(1)
		go func(p string) {
			defer wg.Done()
			if err := b.run.Run(ctx, "go", "vet", p); err != nil {
				errs <- err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}(p)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// WithStash runs fn with local modifications stashed away, so that the
// build sees a clean checkout.
func (b *Builder) WithStash(ctx context.Context, fn func() error) error {
	if err := b.run.Run(ctx, "git", "stash", "push", "--include-untracked"); err != nil {
		return err
	}
	defer b.unstash(ctx) // HAZ defer-blocking-call
	return fn()
}

func (b *Builder) unstash(ctx context.Context) {
	if err := b.run.Run(ctx, "git", "stash", "pop"); err != nil {
		b.log.Printf("git stash pop failed, your changes are in the stash: %v", err)
	}
}
