// Command archiver exports named payloads into the archive under a lease.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/up16/internal/catalog"
	"example.com/up16/internal/export"
	"example.com/up16/internal/lease"
	"example.com/up16/internal/sink"
)

var (
	root   = envPath("ARCHIVER_ROOT", "/var/lib/archiver")
	origin = envPath("ARCHIVER_ORIGIN", "/srv/payloads")
)

// envPath returns the absolute path in the environment variable key, or def.
func envPath(key, def string) string {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	if !filepath.IsAbs(v) {
		die("%s must be an absolute path, got %q", key, v)
	}
	return filepath.Clean(v)
}

// die reports a fatal problem and ends the process.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "archiver: %s\n", fmt.Sprintf(format, args...))
	os.Exit(2)
}

func openDirs(gz bool) (src *sink.Dir, dst sink.Sink) {
	src, err := sink.NewDir(origin)
	if err != nil {
		die("origin: %v", err)
	}
	data, err := sink.NewDir(filepath.Join(root, "data"))
	if err != nil {
		die("archive: %v", err)
	}
	if gz {
		return src, sink.Gzip{Sink: data}
	}
	return src, data
}

func main() {
	key := flag.String("key", "nightly", "lease key of this run")
	gz := flag.Bool("gzip", true, "compress stored payloads")
	flag.Parse()
	if flag.NArg() == 0 {
		die("usage: archiver [-key k] [-gzip=false] name...")
	}
	logger := log.New(os.Stderr, "archiver: ", log.LstdFlags)
	src, dst := openDirs(*gz)
	leaseDir := filepath.Join(root, "leases")
	if err := os.MkdirAll(leaseDir, 0o755); err != nil {
		die("leases: %v", err)
	}
	leases := &lease.Manager{Dir: leaseDir, Log: logger}
	release, err := leases.Hold(*key)
	if err != nil {
		die("lease %s: %v", *key, err)
	}
	defer release()
	cat := catalog.New(*key)
	exp := export.New(src, dst, cat, leases, logger)
	if err := exp.ExportBatch(flag.Args()); err != nil {
		die("export: %v", err) // HAZ exit-skips-defer
	}
	logger.Printf("exported %d payloads", cat.Len())
}
