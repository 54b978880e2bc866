// Command rotated collects log records dropped into a spool directory and
// appends them to a size-rotated log, compressing old segments.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"example.com/filepipeline/internal/rotate"
)

func main() {
	dir := flag.String("dir", "/var/log/pipeline", "output directory")
	spool := flag.String("spool", "/var/spool/pipeline", "spool directory to drain")
	maxSize := flag.Int64("max-size", 64<<20, "rotate after this many bytes")
	keep := flag.Int("keep", 20, "segments to keep")
	interval := flag.Duration("interval", 2*time.Second, "spool poll interval")
	flag.Parse()

	rot, err := rotate.New(*dir, "pipeline", *maxSize, *keep)
	if err != nil {
		log.Fatalf("rotated: %v", err)
	}
	defer rot.Close()

	tick := time.NewTicker(*interval)
	defer tick.Stop()
	for { // HAZ signal-skips-defer
		<-tick.C
		n, err := drainSpool(*spool, rot)
		if err != nil {
			log.Printf("rotated: %v", err)
		}
		if n > 0 {
			if _, err := rot.CompressOld(); err != nil {
				log.Printf("rotated: compress: %v", err)
			}
		}
	}
}

// spoolFiles returns the complete spool files, oldest name first. Writers
// create *.tmp and rename to *.rec when done.
func spoolFiles(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.rec"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

// drainSpool appends every spool file to rot and removes it.
func drainSpool(dir string, rot *rotate.Rotator) (int, error) {
	files, err := spoolFiles(dir)
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, path := range files {
		if err := shipFile(path, rot); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			continue
		}
		if err := os.Remove(path); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// shipFile appends the records of one spool file, one per line.
func shipFile(path string, rot *rotate.Rotator) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var batch [][]byte
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		batch = append(batch, []byte(line+"\n"))
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return rot.Append(batch...)
}
