// Command replay-once re-processes an offset range of one partition with
// the production handler and commits the result, for incident clean-up.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"example.com/consumer/broker"
	"example.com/consumer/consumer"
	"example.com/consumer/retry"
)

func main() {
	cfgPath := flag.String("config", "consumer.json", "configuration file")
	tpName := flag.String("partition", "", "partition to replay, as topic-N")
	from := flag.Int64("from", 0, "first offset")
	to := flag.Int64("to", 0, "end offset (exclusive)")
	flag.Parse()

	logger := log.New(os.Stderr, "replay-once ", log.LstdFlags)
	cfg, err := consumer.LoadConfig(*cfgPath)
	if err != nil {
		log.Fatal(err)
	}
	tp, err := broker.ParseTopicPartition(*tpName)
	if err != nil {
		log.Fatal(err)
	}
	b := broker.New()
	for _, t := range cfg.Topics {
		if err := b.CreateTopic(t, tp.Partition+1); err != nil {
			log.Fatal(err)
		}
	}
	c, err := consumer.New(cfg, b, logHandler(logger), logger)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	n, err := c.ReplayPartition(context.Background(), tp, *from, *to)
	if err != nil {
		log.Fatalf("replay stopped after %d messages: %v", n, err) // HAZ exit-skips-defer
	}
	logger.Printf("replayed %d messages of %s", n, tp)
}

func logHandler(logger *log.Logger) retry.Handler {
	return func(ctx context.Context, m broker.Message) error {
		logger.Printf("%s@%d %s", m.TP(), m.Offset, m.Value)
		return nil
	}
}
