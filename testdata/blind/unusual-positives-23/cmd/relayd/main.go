// Command relayd compresses spooled export files and uploads them.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up23/internal/export"
	"example.com/up23/internal/ingest"
)

// pending lists the spool files that still need uploading.
func pending(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if _, err := os.Stat(m + ".gz"); os.IsNotExist(err) {
			out = append(out, filepath.Base(m))
		}
	}
	return out, nil
}

func main() {
	spool := flag.String("spool", "spool", "spool directory")
	target := flag.String("target", "http://localhost:9000/bucket", "object store base URL")
	every := flag.Duration("every", 30*time.Second, "scan interval")
	flag.Parse()

	logger := log.New(os.Stderr, "relayd ", log.LstdFlags|log.Lmsgprefix)
	exp := export.New(*spool, logger)
	audit := &ingest.AuditLog{}
	up := ingest.NewUploader(*target, audit, logger)

	report := exp.Metrics().Snapshot
	defer func() { report().Report(logger) }()
	dumpAudit := func() {
		for _, line := range audit.Entries() {
			logger.Print(line)
		}
	}
	defer dumpAudit()

	t := time.NewTicker(*every)
	for range t.C { // HAZ signal-skips-defer
		names, err := pending(*spool)
		if err != nil {
			logger.Printf("scan: %v", err)
			continue
		}
		for _, name := range names {
			if err := exp.Compress(name); err != nil {
				logger.Printf("compress %s: %v", name, err)
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := up.UploadAudited(ctx, filepath.Join(*spool, name+".gz")); err != nil {
				logger.Printf("upload %s: %v", name, err)
			}
			cancel()
		}
	}
}
