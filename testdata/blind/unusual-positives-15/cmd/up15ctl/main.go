// Command up15ctl is the operator tool for an up15 store: verify, export
// and prune. It holds a lock file in the store root while it runs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up15/internal/blob"
	"example.com/up15/internal/journal"
	"example.com/up15/internal/metrics"
)

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up15ctl: "+format+"\n", args...)
	os.Exit(1)
}

// acquireLock creates the lock file and returns the func that removes it.
func acquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

func main() {
	root := flag.String("root", "/var/lib/up15", "store root")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: up15ctl [-root dir] verify|export|prune|compact [flags]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
	}
	lg := log.New(os.Stderr, "up15ctl: ", 0)
	st, err := blob.NewStore(*root, metrics.NewMeter())
	if err != nil {
		die("open store: %v", err)
	}
	unlock, err := acquireLock(filepath.Join(*root, ".up15ctl.lock"))
	if err != nil {
		die("%v", err)
	}
	defer unlock()
	if err := dispatch(st, lg, flag.Arg(0), flag.Args()[1:]); err != nil {
		die("%s: %v", flag.Arg(0), err) // HAZ exit-skips-defer
	}
}

func dispatch(st *blob.Store, lg *log.Logger, cmd string, args []string) error {
	switch cmd {
	case "verify":
		return runVerify(st, args)
	case "export":
		return runExport(st, lg, args)
	case "prune":
		return runPrune(st, lg, args)
	case "compact":
		return runCompact(lg, args)
	default:
		return errors.New("unknown command")
	}
}

func runVerify(st *blob.Store, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	manifest := fs.String("manifest", "manifest.json", "manifest to check")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := blob.LoadManifest(*manifest)
	if err != nil {
		return err
	}
	bad := st.VerifyEach(m, func(e blob.Entry, err error) {
		fmt.Fprintf(os.Stderr, "%s: %v\n", e.Key, err)
	})
	if bad > 0 {
		return fmt.Errorf("%d bad entries", bad)
	}
	return nil
}

type exportRow struct {
	Key  string `json:"key"`
	Size int64  `json:"size"`
	Sum  string `json:"sum"`
}

func runExport(st *blob.Store, lg *log.Logger, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	manifest := fs.String("manifest", "manifest.json", "manifest to export")
	out := fs.String("o", "export.json", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := blob.LoadManifest(*manifest)
	if err != nil {
		return err
	}
	rows := make([]exportRow, 0, len(m.Entries))
	for _, e := range m.Entries {
		if e.Kind != blob.KindBlob {
			continue
		}
		n, err := st.Size(e.Key)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Key, err)
		}
		rows = append(rows, exportRow{Key: e.Key, Size: n, Sum: e.Sum})
	}
	stage := *out + ".partial"
	if err := blob.WriteJSONFile(stage, rows); err != nil {
		return err
	}
	defer os.Remove(stage)
	if err := os.Rename(stage, *out); err != nil {
		lg.Fatalf("publish %s: %v", *out, err) // HAZ exit-skips-defer
	}
	lg.Printf("exported %d blobs to %s", len(rows), *out)
	return nil
}

func runPrune(st *blob.Store, lg *log.Logger, args []string) error {
	fs := flag.NewFlagSet("prune", flag.ContinueOnError)
	prefix := fs.String("prefix", "tmp", "directory under the root to prune")
	age := fs.Duration("older-than", 24*time.Hour, "minimum age")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := st.Prune(*prefix, *age)
	if err != nil {
		return err
	}
	lg.Printf("pruned %d blobs from %s", n, *prefix)
	return nil
}

func runCompact(lg *log.Logger, args []string) error {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	jdir := fs.String("journal", "/var/lib/up15/journal", "journal directory")
	keep := fs.Int("keep", 4, "segments to keep")
	if err := fs.Parse(args); err != nil {
		return err
	}
	j, err := journal.Open(*jdir, 64<<20)
	if err != nil {
		return err
	}
	defer j.Close()
	if err := j.Append("compact-start", fmt.Sprint(*keep)); err != nil {
		return err
	}
	if err := j.Compact(*keep); err != nil {
		die("compact %s: %v", *jdir, err) // HAZ exit-skips-defer
	}
	lg.Printf("compacted %s, kept %d segments", *jdir, *keep)
	return j.Append("compact-done", fmt.Sprint(*keep))
}
