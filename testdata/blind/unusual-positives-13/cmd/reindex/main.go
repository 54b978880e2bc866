// Command reindex rebuilds the v1 index shards listed in a shard file and
// prints a report.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up13/internal/legacy"
)

func init() {
	if os.Getenv("REINDEX_DISABLED") == "1" {
		fmt.Fprintln(os.Stderr, "reindex: disabled by REINDEX_DISABLED")
		os.Exit(0)
	}
	log.SetPrefix("reindex: ")
	log.SetFlags(0)
}

// mustLoadShards loads the shard list or exits; nothing is deferred here.
func mustLoadShards(path string) []legacy.Shard {
	shards, err := legacy.LoadShards(path)
	if err != nil {
		log.Fatalf("load shards: %v", err)
	}
	if len(shards) == 0 {
		log.Fatalf("%s lists no shards", path)
	}
	return shards
}

// rebuildShard rewrites the shard's stamp file.
func rebuildShard(sh legacy.Shard) error {
	info, err := os.Stat(sh.Path)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", sh.Path)
	}
	stamp := filepath.Join(sh.Path, ".reindexed")
	return os.WriteFile(stamp, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}

// writeSummary writes the per-shard results to path for the on-call
// dashboard, using the command's logger.
func writeSummary(l *log.Logger, path string, shards []legacy.Shard, errs []error) {
	f, err := os.Create(path)
	if err != nil {
		l.Fatalf("summary: %v", err)
	}
	bw := bufio.NewWriter(f)
	defer func() {
		if err := errors.Join(bw.Flush(), f.Close()); err != nil {
			l.Printf("summary: %v", err)
		}
	}()
	for i, sh := range shards {
		if i >= len(errs) {
			l.Fatalf("summary: no result for shard %s", sh.Name) // HAZ exit-skips-defer
		}
		fmt.Fprintf(bw, "%s\t%v\n", sh.Name, errs[i])
	}
}

func main() {
	shardFile := flag.String("shards", "/etc/ingest/shards", "shard list")
	summary := flag.String("summary", "", "also write a summary file")
	flag.Parse()
	shards := mustLoadShards(*shardFile)

	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			log.Printf("flush report: %v", err)
		}
	}()

	r := &legacy.Reindexer{Rebuild: rebuildShard}
	errs, _ := r.ReindexEach(shards)
	if *summary != "" {
		writeSummary(log.Default(), *summary, shards, errs)
	}
	failed := 0
	for i, err := range errs {
		status := "ok"
		if err != nil {
			status = err.Error()
			failed++
		}
		fmt.Fprintf(out, "%-20s %s\n", shards[i].Name, status)
	}
	if failed > 0 {
		log.Fatalf("%d of %d shards failed", failed, len(shards)) // HAZ exit-skips-defer
	}
}
