// Command consumer-lite is a single-process playground: an in-memory
// broker fed by a generator, one consumer and the admin endpoint.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/consumer/broker"
	"example.com/consumer/consumer"
	"example.com/consumer/metrics"
	"example.com/consumer/retry"
)

func main() {
	addr := flag.String("admin", "127.0.0.1:9102", "admin listen address")
	topic := flag.String("topic", "events", "topic to consume")
	dir := flag.String("data", filepath.Join(os.TempDir(), "consumer-lite"), "offsets and dead-letter directory")
	flag.Parse()

	logger := log.New(os.Stderr, "consumer-lite ", log.LstdFlags)
	b := broker.New()
	if err := b.CreateTopic(*topic, 2); err != nil {
		log.Fatalf("create topic: %v", err)
	}
	cfg := consumer.Config{
		Group:         "lite",
		Topics:        []string{*topic},
		Workers:       2,
		DeadLetterDir: filepath.Join(*dir, "dlq"),
		OffsetsDir:    filepath.Join(*dir, "offsets"),
	}
	c, err := consumer.New(cfg, b, printHandler(logger), logger)
	if err != nil {
		log.Fatalf("consumer: %v", err)
	}
	defer c.Close()

	ctx := context.Background()
	go generate(ctx, b, *topic, 200*time.Millisecond)
	go func() {
		if err := c.Run(ctx); err != nil {
			logger.Printf("consumer stopped: %v", err)
		}
	}()

	admin := metrics.NewAdmin(metrics.AdminConfig{Registry: c.Metrics(), View: c, DeadLetterDir: cfg.DeadLetterDir, Logger: logger})
	logger.Printf("admin listening on %s", *addr)
	err = http.ListenAndServe(*addr, admin.Routes()) // HAZ signal-skips-defer
	logger.Printf("admin server: %v", err)
}

// generate produces a message every interval until ctx ends.
func generate(ctx context.Context, b *broker.Broker, topic string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			key := []byte(fmt.Sprintf("user-%d", i%7))
			val := []byte(fmt.Sprintf(`{"type":"click","seq":%d}`, i))
			if _, err := b.Produce(topic, key, val); err != nil {
				return
			}
		}
	}
}

func printHandler(logger *log.Logger) retry.Handler {
	return func(ctx context.Context, m broker.Message) error {
		logger.Printf("%s@%d key=%s %s", m.TP(), m.Offset, m.Key, m.Value)
		return nil
	}
}
