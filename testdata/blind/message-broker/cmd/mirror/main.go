// Command mirror copies topics from one broker cluster to another until it
// receives SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/messagebroker/client"
)

type options struct {
	from, to string
	topics   []string
	group    string
}

func parseOptions() (options, error) {
	from := flag.String("from", "", "source broker addresses")
	to := flag.String("to", "", "destination broker addresses")
	topics := flag.String("topics", "", "comma-separated topics")
	group := flag.String("group", "mirror", "consumer group on the source")
	flag.Parse()
	if *from == "" || *to == "" || *topics == "" {
		return options{}, errors.New("-from, -to and -topics are required")
	}
	return options{from: *from, to: *to, topics: strings.Split(*topics, ","), group: *group}, nil
}

// mirrorTopic forwards one topic until ctx is done.
func mirrorTopic(ctx context.Context, src *client.Client, dst *client.Producer, group, topic string) error {
	member := fmt.Sprintf("mirror-%s-%d", topic, os.Getpid())
	cons := client.NewConsumer(src, group, member, []string{topic}, func(m client.Message) error {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err := dst.Send(sctx, topic, m.Key, m.Value)
		return err
	})
	if err := cons.Subscribe(ctx); err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := cons.Close(cctx); err != nil {
			log.Printf("mirror: %s: close: %v", topic, err)
		}
	}()
	return cons.Run(ctx)
}

// mirrorAll runs one forwarder per topic and waits for all of them; errors
// go to a channel sized for every forwarder.
func mirrorAll(ctx context.Context, src *client.Client, dst *client.Producer, opts options) error {
	errs := make(chan error, len(opts.topics))
	var wg sync.WaitGroup
	for _, t := range opts.topics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := mirrorTopic(ctx, src, dst, opts.group, strings.TrimSpace(t)); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", t, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func main() {
	opts, err := parseOptions()
	if err != nil {
		log.Fatalf("mirror: %v", err)
	}
	src, err := client.Dial(client.Config{Addrs: strings.Split(opts.from, ",")})
	if err != nil {
		log.Fatalf("mirror: source: %v", err)
	}
	dstClient, err := client.Dial(client.Config{Addrs: strings.Split(opts.to, ",")})
	if err != nil {
		src.Close()
		log.Fatalf("mirror: destination: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer src.Close()
	defer dstClient.Close()

	log.Printf("mirror: %s -> %s: %v", opts.from, opts.to, opts.topics)
	if err := mirrorAll(ctx, src, client.NewProducer(dstClient), opts); err != nil {
		log.Printf("mirror: %v", err)
	}
	log.Printf("mirror: stopped")
}
