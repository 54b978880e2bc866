// Command bcworker claims job files from a spool directory, runs them and writes the
// results next to the spool.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bcworker: "+format+"\n", args...)
	os.Exit(1)
}

type lockFile struct{ path string }

// acquireLock creates the spool lock file holding our pid.
func acquireLock(dir string) *lockFile {
	path := filepath.Join(dir, ".worker.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		die("lock %s: %v", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		die("lock %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		die("lock %s: %v", path, err)
	}
	return &lockFile{path: path}
}

func (l *lockFile) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("release lock: %v", err)
	}
}

func main() {
	spool := flag.String("spool", "spool", "spool directory with *.job files")
	outDir := flag.String("out", "out", "result directory")
	poll := flag.Duration("poll", 2*time.Second, "idle poll interval")
	follow := flag.String("follow", "", "coordinator broadcast file to echo (empty: off)")
	coordinator := flag.String("coordinator", "", "URL to fetch job specs from on start")
	flag.Parse()
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		die("output dir: %v", err)
	}
	if *coordinator != "" {
		if err := seedSpool(*coordinator, *spool); err != nil {
			die("coordinator: %v", err)
		}
	}
	if *follow != "" {
		go followLog(*follow, os.Stderr, *poll)
	}

	lock := acquireLock(*spool)
	defer lock.release() // HAZ signal-skips-defer
	for {
		n, err := processSpool(*spool, *outDir)
		if err != nil {
			log.Printf("spool: %v", err)
		}
		if n == 0 {
			time.Sleep(*poll)
		}
	}
}
