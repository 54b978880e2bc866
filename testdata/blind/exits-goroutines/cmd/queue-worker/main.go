// Command queue-worker processes job files dropped into a spool directory.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func processSpool(id int, spool string, every time.Duration) {
	for {
		entries, err := os.ReadDir(spool)
		if err != nil {
			log.Printf("worker %d: %v", id, err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".job") {
				continue
			}
			src := filepath.Join(spool, e.Name())
			claimed := src + ".w" + strconv.Itoa(id)
			if os.Rename(src, claimed) != nil {
				continue // another worker got it
			}
			if err := runJob(claimed); err != nil {
				log.Printf("worker %d: %s: %v", id, e.Name(), err)
				os.Rename(claimed, src+".failed")
				continue
			}
			os.Remove(claimed)
		}
		time.Sleep(every)
	}
}

func runJob(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	log.Printf("job %s: %d bytes", filepath.Base(path), len(b))
	return nil
}

func main() {
	workers := flag.Int("workers", 4, "number of workers")
	spool := flag.String("spool", "/var/spool/queue-worker", "spool directory")
	pidPath := flag.String("pidfile", "/run/queue-worker.pid", "pid file")
	flag.Parse()

	if _, err := os.Stat(*spool); err != nil {
		log.Fatalf("queue-worker: %v", err)
	}
	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("queue-worker: %v", err)
	}
	defer os.Remove(*pidPath) // a stale pid file makes the init script refuse to start

	for i := range *workers {
		go processSpool(i, *spool, 2*time.Second)
	}
	log.Printf("queue-worker: %d workers on %s", *workers, *spool)
	select {} // HAZ signal-skips-defer
}
