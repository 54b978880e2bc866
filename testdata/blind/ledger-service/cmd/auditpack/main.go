// Command auditpack compresses rotated audit files.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"example.com/txsvc/audit"
)

func main() {
	dir := flag.String("dir", "audit", "audit directory")
	keep := flag.Bool("keep", false, "keep the uncompressed files")
	flag.Parse()

	matches, err := filepath.Glob(filepath.Join(*dir, "audit-*.log"))
	if err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	lockPath := filepath.Join(*dir, ".pack.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		log.Fatalf("another auditpack is running: %v", err) // ok: nothing deferred yet
	}
	if err := lock.Close(); err != nil {
		log.Printf("lock: %v", err)
	}
	defer os.Remove(lockPath)

	failed := 0
	for _, m := range matches {
		if err := audit.ArchiveFile(m, m+".gz"); err != nil {
			log.Printf("%s: %v", m, err)
			failed++
			continue
		}
		if *keep {
			continue
		}
		if err := os.Remove(m); err != nil {
			log.Printf("%s: %v", m, err)
		}
	}
	log.Printf("packed %d of %d files", len(matches)-failed, len(matches))
	if failed > 0 {
		os.Exit(2) // HAZ exit-skips-defer
	}
}
