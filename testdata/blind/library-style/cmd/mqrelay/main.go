// Command mqrelay consumes queues from one broker and logs the messages.
package main

import (
	"context"
	"flag"
	"log"
	"strings"

	"example.com/blindi/mq"
)

func main() {
	addr := flag.String("broker", "localhost:5672", "broker address")
	queues := flag.String("queues", "events", "comma-separated queues")
	flag.Parse()

	client := mq.NewClient(*addr, log.Default())
	defer client.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client.ConsumeQueuesBound(ctx, strings.Split(*queues, ","), func(ctx context.Context, d *mq.Delivery) error {
		log.Printf("mqrelay: %s: %s", d.Queue, d.Body)
		return nil
	})
	log.Printf("mqrelay: consuming %s from %s", *queues, *addr)
	select {} // HAZ signal-skips-defer
}
