// Command settle closes one settlement day: it reads the ledger export,
// writes the gzipped batch, its manifest and summary, and appends to the
// audit trail. A lock file keeps two runs from writing the same directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/payments/settlement"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "settle: "+format+"\n", args...)
	os.Exit(1)
}

type runLock struct{ path string }

// acquireLock creates path exclusively and writes our pid into it.
func acquireLock(path string) (*runLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("another run holds %s", path)
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &runLock{path: path}, nil
}

func (l *runLock) release() {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Printf("settle: removing lock: %v", err)
	}
}

func settle(day time.Time, in, outDir string) error {
	all, err := settlement.ReadBatch(in)
	if err != nil {
		return err
	}
	all.ID = "settle"
	s := settlement.NewScheduler(log.Default())
	auditPath := filepath.Join(outDir, "audit.log")
	s.OnClose("audit", func(batchID string) {
		line := fmt.Sprintf("%s closed %s", time.Now().UTC().Format(time.RFC3339), batchID)
		if err := settlement.AppendAudit(auditPath, line); err != nil {
			log.Printf("settle: audit: %v", err)
		}
	})
	if err := s.CloseDay(day, all, outDir); err != nil {
		return fmt.Errorf("close %s: %w", day.Format("2006-01-02"), err)
	}
	return nil
}

// compressBacklog gzips the .csv files that the old exporter left in dir. A
// marker file tells the exporter to keep away while this runs.
func compressBacklog(dir string, logger *log.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		logger.Fatalf("settle: backlog: %v", err)
	}
	var jobs []settlement.Job
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasSuffix(name, ".csv") {
			src := filepath.Join(dir, name)
			jobs = append(jobs, settlement.Job{BatchID: strings.TrimSuffix(name, ".csv"), Src: src, Dst: src + ".gz"})
		}
	}
	marker := filepath.Join(dir, ".compressing")
	if err := os.WriteFile(marker, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		logger.Fatalf("settle: backlog: %v", err)
	}
	defer os.Remove(marker)

	failed := settlement.CompressAll(context.Background(), jobs, 4)
	if len(failed) > 0 {
		logger.Fatalf("settle: %d of %d backlog files failed, first: %v", len(failed), len(jobs), failed[0].Err) // HAZ exit-skips-defer
	}
	for _, j := range jobs {
		if err := os.Remove(j.Src); err != nil {
			logger.Printf("settle: backlog: %v", err)
		}
	}
	logger.Printf("settle: compressed %d backlog files", len(jobs))
}

func main() {
	date := flag.String("date", "", "settlement day, YYYY-MM-DD")
	in := flag.String("in", "", "ledger export (CSV or CSV.gz)")
	out := flag.String("out", "settlements", "output directory")
	backlog := flag.String("compress-backlog", "", "gzip the CSV files left in this directory and exit")
	flag.Parse()
	if *backlog != "" {
		compressBacklog(*backlog, log.New(os.Stderr, "", log.LstdFlags))
		return
	}
	if *date == "" || *in == "" {
		flag.Usage()
		os.Exit(2)
	}
	day, err := time.Parse("2006-01-02", *date)
	if err != nil {
		fatalf("bad -date: %v", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatalf("%v", err)
	}
	lock, err := acquireLock(filepath.Join(*out, ".settle.lock"))
	if err != nil {
		fatalf("%v", err)
	}
	defer lock.release()

	if err := settle(day, *in, *out); err != nil {
		fatalf("%v", err) // HAZ exit-skips-defer
	}
	log.Printf("settle: %s done", *date)
}
