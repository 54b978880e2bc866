package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"example.com/fah28/internal/archive"
	"example.com/fah28/internal/build"
	"example.com/fah28/internal/cache"
	"example.com/fah28/internal/fsutil"
	"example.com/fah28/internal/progress"
	"example.com/fah28/internal/runner"
)

// cmdBuild compiles the packages named on the command line.
func cmdBuild(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workDir := fs.String("C", ".", "workspace directory")
	timeout := fs.Duration("timeout", 10*time.Minute, "per-command timeout")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	pkgs := fs.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	c := cache.New(filepath.Join(*workDir, ".forge", "cache"), 4096)
	r := runner.New(*workDir, *timeout)
	b := build.New(*workDir, c, r, log.New(stderr, "", 0), stderr)

	rep := progress.Start(stderr, "build", int64(len(pkgs)), 250*time.Millisecond)
	defer rep.Stop()
	for _, pkg := range pkgs {
		if err := b.Compile(ctx, pkg); err != nil {
			return err
		}
		rep.Add(1)
	}
	return c.Save()
}

// cmdPack copies the given build outputs into a staging directory and packs
// that directory into a tarball.
func cmdPack(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pack", flag.ContinueOnError)
	out := fs.String("o", "dist.tar.gz", "output archive")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	stage, err := os.MkdirTemp("", "forge-pack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage) // HAZ defer-blocking-call
	for _, src := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fsutil.CopyTree(filepath.Join(stage, filepath.Base(src)), src); err != nil {
			return err
		}
	}
	files, err := listFiles(stage)
	if err != nil {
		return err
	}
	if err := archive.WriteTarGz(*out, stage, files); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d files)\n", *out, len(files))
	return nil
}

// listFiles returns the regular files under root, relative to root.
func listFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d iofs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		files = append(files, rel)
		return nil
	})
	return files, err
}

// cmdVerify unpacks a tarball into a temporary directory and compares the
// tree's hash with the expected one. The temporary directory is removed
// before returning and a failed removal is reported.
func cmdVerify(ctx context.Context, args []string, stdout io.Writer) (err error) {
	if len(args) != 2 {
		return errUsage
	}
	tarball, want := args[0], args[1]
	dir, err := os.MkdirTemp("", "forge-verify-")
	if err != nil {
		return err
	}
	err = verifyInto(ctx, dir, tarball, want, stdout)
	if rmErr := os.RemoveAll(dir); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("remove %s: %w", dir, rmErr))
	}
	return err
}

// verifyInto does the work of cmdVerify inside dir.
func verifyInto(ctx context.Context, dir, tarball, want string, stdout io.Writer) error {
	if err := archive.ExtractTarGz(tarball, dir); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	got, err := fsutil.HashTree(dir)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s: tree hash %s, want %s", tarball, got, want)
	}
	fmt.Fprintf(stdout, "%s: ok\n", tarball)
	return nil
}

// cmdClean removes the cache directories of the given workspaces.
func cmdClean(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	var errs []error
	for _, ws := range args {
		dir := filepath.Join(ws, ".forge", "cache")
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "removed %s\n", dir)
	}
	return errors.Join(errs...)
}

// cmdHash prints the content hash of each directory argument.
func cmdHash(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	for _, dir := range args {
		sum, err := fsutil.HashTree(dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s  %s\n", sum, dir)
	}
	return nil
}

// cmdDoctor checks, concurrently, that the external tools forge needs are
// installed, each with a short timeout.
func cmdDoctor(ctx context.Context, stdout io.Writer) error {
	tools := []string{"go", "git", "tar"}
	type result struct {
		tool, version string
		err           error
	}
	r := runner.New("", 5*time.Second)
	results := make(chan result, len(tools))
	for _, tool := range tools {
		go func() {
			v, err := r.Output(ctx, tool, "--version")
			results <- result{tool, v, err}
		}()
	}
	failed := 0
	for range tools {
		select {
		case res := <-results:
			if res.err != nil {
				failed++
				fmt.Fprintf(stdout, "%-4s MISSING (%v)\n", res.tool, res.err)
				continue
			}
			fmt.Fprintf(stdout, "%-4s %s\n", res.tool, res.version)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	fmt.Fprintf(stdout, "%d CPUs, %s/%s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	if failed > 0 {
		return fmt.Errorf("%d tools missing", failed)
	}
	return nil
}
