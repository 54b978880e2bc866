// Command obsctl administers a running agent: writes a default
// configuration, checks one, prints statistics, rotates the file exporter.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/obsagent/internal/config"
	"example.com/obsagent/internal/exporter"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: obsctl init|check|stats|compress|snapshot [args]")
}

// lock takes the admin lock so two obsctl runs do not rotate or rewrite
// files at the same time.
func lock() (string, error) {
	p := filepath.Join(os.TempDir(), "obsctl.lock")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("another obsctl is running (%s): %w", p, err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(p)
		return "", err
	}
	return p, nil
}

func stats(ctx context.Context, url string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

func dispatch(ctx context.Context, args []string) error {
	switch args[0] {
	case "init":
		if len(args) != 2 {
			return errors.New("usage: obsctl init FILE")
		}
		return config.WriteDefault(args[1])
	case "check":
		if len(args) != 2 {
			return errors.New("usage: obsctl check FILE")
		}
		cfg, err := config.Load(args[1])
		if err != nil {
			return err
		}
		return errors.Join(cfg.CheckEndpoints(ctx), cfg.CheckHTTP(ctx))
	case "stats":
		url := "http://127.0.0.1:8888/"
		if len(args) > 1 {
			url = args[1]
		}
		return stats(ctx, url, os.Stdout)
	case "compress":
		var errs []error
		for _, p := range args[1:] {
			errs = append(errs, exporter.CompressFile(p))
		}
		return errors.Join(errs...)
	case "snapshot":
		if len(args) != 3 {
			return errors.New("usage: obsctl snapshot IN OUT")
		}
		b, err := exporter.ReadSnapshot(args[1])
		if err != nil {
			return err
		}
		return exporter.AppendSnapshot(args[2], b)
	}
	usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2) // ok: nothing deferred yet
	}
	lockPath, err := lock()
	if err != nil {
		fatalf("obsctl: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(lockPath)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := dispatch(ctx, os.Args[1:]); err != nil {
		fatalf("obsctl: %v", err) // HAZ exit-skips-defer
	}
}
