// Command fakebroker serves an in-memory broker over TCP for local
// development, optionally saving its topics to a file when it exits.
package main

import (
	"bufio"
	"flag"
	"log"
	"net"
	"os"
	"strings"

	"example.com/consumer/broker"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9092", "listen address")
	topics := flag.String("topics", "events:4", "comma-separated topic:partitions list")
	snapshot := flag.String("snapshot", "", "file to write the topics to on exit")
	flag.Parse()

	logger := log.New(os.Stderr, "fakebroker ", log.LstdFlags)
	b := broker.New()
	names, err := createTopics(b, *topics)
	if err != nil {
		log.Fatalf("topics: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	if *snapshot != "" {
		defer func() {
			if err := saveSnapshot(b, *snapshot, names); err != nil {
				logger.Printf("snapshot: %v", err)
			}
		}()
	}

	srv := broker.NewServer(b, logger)
	go func() {
		if err := srv.Serve(ln); err != nil {
			logger.Printf("serve: %v", err)
		}
	}()
	logger.Printf("serving %v on %s", names, ln.Addr())
	select {} // HAZ signal-skips-defer
}

// createTopics parses "name:partitions,..." and creates the topics.
func createTopics(b *broker.Broker, spec string) ([]string, error) {
	var names []string
	for _, part := range strings.Split(spec, ",") {
		name, n, err := parseTopic(part)
		if err != nil {
			return nil, err
		}
		if err := b.CreateTopic(name, n); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

func parseTopic(s string) (string, int, error) {
	name, count, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return name, 1, nil
	}
	tp, err := broker.ParseTopicPartition(name + "-" + count)
	if err != nil {
		return "", 0, err
	}
	return tp.Topic, tp.Partition, nil
}

// saveSnapshot writes every topic to path, checking every write.
func saveSnapshot(b *broker.Broker, path string, topics []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, t := range topics {
		if err := b.Dump(w, t); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
