// Command lintall runs gofmt and go vet over every module below a directory
// and reports which ones are dirty.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"example.com/clidevtools/internal/lockfile"
	"example.com/clidevtools/internal/spinner"
)

func findModules(root string) ([]string, error) {
	var mods []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "vendor" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			mods = append(mods, filepath.Dir(path))
		}
		return nil
	})
	return mods, err
}

func gofmtList(ctx context.Context, dir string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "gofmt", "-l", ".")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	return strings.Fields(out.String()), nil
}

func vet(ctx context.Context, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "vet", "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", dir, err, out)
	}
	return nil
}

// checkOne lints a single module under its lock; used by -strict mode.
func checkOne(ctx context.Context, dir string) {
	lf, err := lockfile.Acquire(filepath.Join(dir, ".lintall.lock"))
	if err != nil {
		log.Printf("%s: %v", dir, err)
		return
	}
	defer lf.Release()
	files, err := gofmtList(ctx, dir)
	if err != nil || len(files) > 0 {
		fmt.Fprintf(os.Stderr, "%s: not gofmt-clean: %v %v\n", dir, files, err)
		os.Exit(2) // HAZ exit-skips-defer
	}
	if err := vet(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

func lintAll(ctx context.Context, mods []string) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, m := range mods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if files, ferr := gofmtList(ctx, m); ferr != nil {
				err = ferr
			} else if len(files) > 0 {
				err = fmt.Errorf("%s: not gofmt-clean: %s", m, strings.Join(files, " "))
			} else {
				err = vet(ctx, m)
			}
			if err != nil {
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return errs
}

func main() {
	strict := flag.Bool("strict", false, "stop at the first dirty module")
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	mods, err := findModules(root)
	if err != nil {
		log.Fatal(err)
	}
	if len(mods) == 0 {
		log.Fatalf("no modules below %s", root)
	}

	failed := false
	defer func() {
		if failed {
			os.Exit(1)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *strict {
		for _, m := range mods {
			checkOne(ctx, m)
		}
		return
	}
	defer spinner.Track(os.Stderr, fmt.Sprintf("linting %d modules", len(mods)))()
	errs := lintAll(ctx, mods)
	for _, e := range errs {
		fmt.Fprintln(os.Stderr, e)
	}
	failed = len(errs) > 0 || errors.Is(ctx.Err(), context.Canceled)
}
