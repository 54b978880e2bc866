// Command artifactctl is the command-line client of artifactd.
package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"example.com/fah17/internal/fetch"
	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/store"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage: artifactctl <command> [flags]

commands:
  get <key> [-o file]   print or save a blob
  pull <dir> <key>...   download blobs into dir
  export <root> <dst>   write a .tar.gz of a local store
  verify <root>         check every blob of a local store
  diff <a> <b>          compare two local files`)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if d, err := time.ParseDuration(os.Getenv("ARTIFACTCTL_TIMEOUT")); err == nil && d > 0 {
		// Hard stop for scripts: a hung server must not hang the pipeline.
		watchdog := time.AfterFunc(d, func() {
			fmt.Fprintf(stderr, "artifactctl: timed out after %s\n", d)
			os.Exit(3)
		})
		defer watchdog.Stop()
	}
	logger := obs.NewLogger(stderr, cmp.Or(os.Getenv("ARTIFACTCTL_LOG"), "warn"))
	c := fetch.New(cmp.Or(os.Getenv("ARTIFACT_URL"), "http://localhost:8080"), logger)

	var err error
	switch args[0] {
	case "get":
		err = cmdGet(ctx, c, args[1:], stdout)
	case "pull":
		err = cmdPull(ctx, c, args[1:])
	case "export":
		err = cmdExport(args[1:])
	case "verify":
		err = cmdVerify(args[1:], stdout)
	case "diff":
		err = cmdDiff(args[1:], stdout)
	default:
		usage(stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "artifactctl:", err)
		return 1
	}
	return 0
}

func cmdGet(ctx context.Context, c *fetch.Client, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	out := fs.String("o", "", "write to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("get: need exactly one key")
	}
	b, err := c.Blob(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(b)
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(b)
	return err
}

func cmdPull(ctx context.Context, c *fetch.Client, args []string) error {
	if len(args) < 2 {
		return errors.New("pull: need a directory and at least one key")
	}
	dir, keys := args[0], args[1:]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return c.PrefetchTraced(ctx, keys, dir)
}

func cmdExport(args []string) error {
	if len(args) != 2 {
		return errors.New("export: need a store root and a destination")
	}
	st, err := store.Open(args[0], store.Options{})
	if err != nil {
		return err
	}
	return st.Export(args[1])
}

func cmdVerify(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("verify: need a store root")
	}
	st, err := store.Open(args[0], store.Options{})
	if err != nil {
		return err
	}
	var errs []error
	n := 0
	for key := range st.Keys() {
		if err := st.Verify(key); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	fmt.Fprintf(stdout, "%d blobs ok, %d bad\n", n, len(errs))
	return errors.Join(errs...)
}

// cmdDiff reports whether two files have the same content.
func cmdDiff(args []string, stdout io.Writer) error {
	if len(args) != 2 {
		return errors.New("diff: need two files")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	ha, err := digest(f)
	if err != nil {
		return err
	}
	f, err = os.Open(args[1])
	if err != nil {
		return err
	}
	hb, err := digest(f)
	if err != nil {
		return err
	}
	if ha != hb {
		fmt.Fprintf(stdout, "%s and %s differ\n", args[0], args[1])
		return nil
	}
	fmt.Fprintf(stdout, "%s and %s are identical\n", args[0], args[1])
	return nil
}

func digest(r io.Reader) ([sha256.Size]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return [sha256.Size]byte{}, err
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}
