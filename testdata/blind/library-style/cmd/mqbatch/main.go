// Command mqbatch publishes every line of a file to a queue and exits.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/blindi/mq"
)

func run(broker, queue, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	client := mq.NewClient(broker, log.Default())
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if err := client.PublishConfirmed(ctx, queue, append([]byte(nil), sc.Bytes()...)); err != nil {
			return fmt.Errorf("line %d: %w", n+1, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("no lines to publish")
	}
	log.Printf("mqbatch: published %d messages to %s", n, queue)
	return nil
}

func main() {
	broker := flag.String("broker", "localhost:5672", "broker address")
	queue := flag.String("queue", "events", "queue")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mqbatch [-broker addr] [-queue name] FILE")
		os.Exit(2)
	}
	if err := run(*broker, *queue, flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "mqbatch: %v\n", err)
		os.Exit(1)
	}
}
