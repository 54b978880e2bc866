// Command etlsched watches a spool directory and runs a conversion job per new file.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/etl/archiver"
	"example.com/etl/fsutil"
	"example.com/etl/sched"
)

func main() {
	spool := flag.String("spool", "spool", "directory to watch")
	out := flag.String("out", "out", "output directory")
	every := flag.Duration("every", 10*time.Second, "poll interval")
	flag.Parse()

	release, err := fsutil.LockFile(filepath.Join(*spool, ".etlsched.lock"))
	if err != nil {
		log.Fatalf("etlsched: %v", err) // ok: nothing deferred yet
	}
	defer release()
	if pending, err := listSpool(*spool); err == nil {
		log.Printf("etlsched: %d files already in %s", len(pending), *spool)
	}

	s := sched.New(sched.Options{Workers: 2, MaxQueue: 100, DefaultTimeout: 10 * time.Minute})
	s.Start()
	defer s.Stop()

	names := make(chan string, 16)
	go watchSpool(*spool, names, *every)
	go func() {
		for name := range names {
			if err := s.Submit(compressJob(*spool, *out, name)); err != nil {
				log.Printf("etlsched: %s: %v", name, err)
			}
		}
	}()
	go func() {
		for res := range s.Results() {
			if res.Err != nil {
				log.Printf("etlsched: %s failed after %d attempts: %v", res.Job, res.Attempts, res.Err)
				continue
			}
			log.Printf("etlsched: %s done in %s", res.Job, res.Duration())
		}
	}()

	select {} // HAZ signal-skips-defer
}

func compressJob(spool, out, name string) *sched.Job {
	return &sched.Job{
		Name:    "compress " + name,
		Retries: 2,
		Run: func(ctx context.Context) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return archiver.CompressFile(filepath.Join(spool, name), filepath.Join(out, name+".gz"), 6)
		},
	}
}

// watchSpool sends the names of files that appear in dir, forever.
func watchSpool(dir string, out chan<- string, every time.Duration) {
	seen := make(map[string]bool)
	for {
		d, err := os.Open(dir)
		if err != nil {
			log.Printf("etlsched: %v", err)
			time.Sleep(every)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		names, err := d.Readdirnames(-1)
		if err != nil {
			log.Printf("etlsched: %v", err)
		}
		for _, n := range names {
			if strings.HasPrefix(n, ".") || seen[n] {
				continue
			}
			seen[n] = true
			out <- n
		}
		time.Sleep(every)
	}
}

// listSpool returns the visible entries of dir once.
func listSpool(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	visible := names[:0]
	for _, n := range names {
		if !strings.HasPrefix(n, ".") {
			visible = append(visible, n)
		}
	}
	return visible, nil
}
