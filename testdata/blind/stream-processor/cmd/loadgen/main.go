// Command loadgen produces synthetic records into partition log files so
// that streamd has something to consume.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"example.com/streamproc/internal/record"
)

// producer appends records for one partition at a fixed rate.
type producer struct {
	partition int
	rate      time.Duration
	w         *bufio.Writer
	f         *os.File
}

func newProducer(dir string, p int, rate time.Duration) (*producer, error) {
	f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("p%03d.log", p)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &producer{partition: p, rate: rate, w: bufio.NewWriter(f), f: f}, nil
}

// Close flushes buffered records and closes the file.
func (pr *producer) Close() error {
	if err := pr.w.Flush(); err != nil {
		pr.f.Close()
		return err
	}
	return pr.f.Close()
}

func (pr *producer) run(keys int) {
	t := time.NewTicker(pr.rate)
	defer t.Stop()
	var off int64
	for now := range t.C {
		r := record.Record{
			Topic:     "events",
			Partition: pr.partition,
			Offset:    off,
			Key:       fmt.Sprintf("k%d", rand.IntN(keys)),
			Value:     rand.Float64() * 100,
			Timestamp: now,
		}
		if err := record.Encode(pr.w, r); err != nil {
			log.Printf("p%d: %v", pr.partition, err)
		}
		off++
	}
}

func main() {
	dir := flag.String("out", "./data/logs", "output directory")
	parts := flag.Int("partitions", 4, "partitions")
	rate := flag.Duration("every", 10*time.Millisecond, "interval per partition")
	keys := flag.Int("keys", 100, "distinct keys")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	var producers []*producer
	defer func() {
		for _, pr := range producers {
			if err := pr.Close(); err != nil {
				log.Printf("close p%d: %v", pr.partition, err)
			}
		}
	}()
	for p := range *parts {
		pr, err := newProducer(*dir, p, *rate)
		if err != nil {
			log.Printf("partition %d: %v", p, err)
			return
		}
		producers = append(producers, pr)
		go pr.run(*keys)
	}
	log.Printf("producing into %s", *dir)
	select {} // HAZ signal-skips-defer
}
