// Command lag-exporter appends the lag of a group, read from its offsets
// directory and a log-end snapshot, to a CSV-like file every interval.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/consumer/broker"
	"example.com/consumer/offsets"
)

func main() {
	dir := flag.String("dir", "offsets", "offsets directory")
	grp := flag.String("group", "", "consumer group")
	endsPath := flag.String("ends", "log-ends.json", "log end offsets snapshot")
	outPath := flag.String("out", "lag.log", "file to append to")
	every := flag.Duration("every", time.Minute, "sampling interval")
	flag.Parse()

	f, err := os.OpenFile(*outPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatalf("open %s: %v", *outPath, err)
	}
	w := bufio.NewWriter(f)
	defer func() {
		if err := errors.Join(w.Flush(), f.Close()); err != nil {
			log.Printf("closing %s: %v", *outPath, err)
		}
	}()

	store := offsets.NewFileStore(*dir)
	for { // HAZ signal-skips-defer
		if err := sample(w, store, *grp, *endsPath); err != nil {
			log.Printf("sample: %v", err)
		}
		time.Sleep(*every)
	}
}

// sample appends one line per partition: time, partition, lag.
func sample(w *bufio.Writer, store *offsets.FileStore, group, endsPath string) error {
	offs, err := store.Load(group)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(endsPath)
	if err != nil {
		return err
	}
	var ends map[string]int64
	if err := json.Unmarshal(b, &ends); err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	for name, end := range ends {
		tp, err := broker.ParseTopicPartition(name)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s,%s,%d\n", now, tp, end-offs[tp]); err != nil {
			return err
		}
	}
	return nil
}
