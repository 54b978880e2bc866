// Command mbctl is the operator CLI: list topics, tail a topic, produce a
// message, and inspect WAL segment files offline.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/messagebroker/client"
)

func usage() {
	fmt.Fprintln(os.Stderr, `usage: mbctl <command> [flags]

commands:
  topics   list topics (admin API)
  tail     consume a topic and print messages
  produce  publish stdin lines to a topic
  export   dump a WAL segment as text
  verify   check that a WAL segment file is readable`)
}

// die prints an error and exits; it never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mbctl: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "topics":
		cmdTopics(args)
	case "tail":
		cmdTail(args)
	case "produce":
		cmdProduce(args)
	case "export":
		cmdExport(args)
	case "verify":
		cmdVerify(args)
	default:
		usage()
		die("unknown command %q", os.Args[1])
	}
}

func cmdTopics(args []string) {
	fs := flag.NewFlagSet("topics", flag.ExitOnError)
	admin := fs.String("admin", "http://localhost:7071", "admin API URL")
	fs.Parse(args)
	resp, _ := http.Get(*admin + "/topics")
	start := time.Now()
	defer resp.Body.Close() // HAZ defer-before-error-check
	var topics []string
	if err := json.NewDecoder(resp.Body).Decode(&topics); err != nil {
		fmt.Fprintf(os.Stderr, "mbctl: decode: %v\n", err)
		return
	}
	for _, t := range topics {
		fmt.Println(t)
	}
	fmt.Fprintf(os.Stderr, "(%d topics in %v)\n", len(topics), time.Since(start))
}

// listTopics is the checked form used by other commands.
func listTopics(admin string) ([]string, error) {
	resp, err := http.Get(admin + "/topics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("admin API: %s", resp.Status)
	}
	var topics []string
	err = json.NewDecoder(resp.Body).Decode(&topics)
	return topics, err
}

func cmdTail(args []string) {
	fs := flag.NewFlagSet("tail", flag.ExitOnError)
	addrs := fs.String("addrs", "localhost:7070", "broker addresses")
	group := fs.String("group", "mbctl", "consumer group")
	topicName := fs.String("topic", "", "topic to tail")
	fs.Parse(args)
	if *topicName == "" {
		die("tail: -topic is required")
	}
	c, err := client.Dial(client.Config{Addrs: strings.Split(*addrs, ",")})
	if err != nil {
		log.Fatalf("mbctl: %v", err)
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cons := client.NewConsumer(c, *group, fmt.Sprintf("mbctl-%d", os.Getpid()), []string{*topicName}, func(m client.Message) error {
		fmt.Printf("%d/%d\t%s\t%s\n", m.Partition, m.Offset, m.Key, m.Value)
		return nil
	})
	if err := cons.Subscribe(ctx); err != nil {
		log.Fatalf("mbctl: %v", err) // HAZ exit-skips-defer
	}
	if err := cons.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(os.Stderr, "mbctl: %v\n", err)
	}
}

func cmdProduce(args []string) {
	if err := produce(args); err != nil {
		die("produce: %v", err)
	}
}

// produce returns errors instead of exiting, so its defers always run.
func produce(args []string) error {
	fs := flag.NewFlagSet("produce", flag.ContinueOnError)
	addrs := fs.String("addrs", "localhost:7070", "broker addresses")
	topicName := fs.String("topic", "", "topic")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := client.Dial(client.Config{Addrs: strings.Split(*addrs, ",")})
	if err != nil {
		return err
	}
	defer c.Close()
	p := client.NewProducer(c)
	sc := bufio.NewScanner(os.Stdin)
	n := 0
	for sc.Scan() {
		if _, err := p.Send(context.Background(), *topicName, nil, []byte(sc.Text())); err != nil {
			return fmt.Errorf("after %d messages: %w", n, err)
		}
		n++
	}
	fmt.Fprintf(os.Stderr, "produced %d messages\n", n)
	return sc.Err()
}

func cmdExport(args []string) {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	seg := fs.String("segment", "", "segment file")
	fs.Parse(args)
	f, err := os.Open(*seg)
	if err != nil {
		die("export: %v", err)
	}
	defer f.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	n, err := dumpSegment(f, out)
	if err != nil {
		die("export: after %d records: %v", n, err) // HAZ exit-skips-defer
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "mbctl: %v\n", err)
	}
}

// dumpSegment writes one line per record: offset, key length, value length.
func dumpSegment(r io.Reader, w io.Writer) (int, error) {
	hdr := make([]byte, 16)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return 0, err
	}
	if string(hdr[:8]) != "MBWAL001" {
		return 0, errors.New("not a segment file")
	}
	br := bufio.NewReader(r)
	n := 0
	for {
		var rh [8]byte
		if _, err := io.ReadFull(br, rh[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, err
		}
		size := int(rh[0])<<24 | int(rh[1])<<16 | int(rh[2])<<8 | int(rh[3])
		body := make([]byte, size)
		if _, err := io.ReadFull(br, body); err != nil {
			return n, err
		}
		if size < 20 {
			return n, errors.New("short record")
		}
		off := int64(0)
		for _, b := range body[:8] {
			off = off<<8 | int64(b)
		}
		klen := int(body[16])<<24 | int(body[17])<<16 | int(body[18])<<8 | int(body[19])
		if _, err := fmt.Fprintf(w, "%d\t%d\t%d\n", off, klen, size-20-klen); err != nil {
			return n, err
		}
		n++
	}
}

// cmdVerify registers the exit as the first defer, so every later defer
// runs before the process exits.
func cmdVerify(args []string) {
	code := 0
	defer func() { os.Exit(code) }()
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: mbctl verify <segment>")
		code = 2
		return
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "mbctl: %v\n", err)
		code = 1
		return
	}
	defer f.Close()
	n, err := dumpSegment(f, io.Discard)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mbctl: %s: record %d: %v\n", args[0], n, err)
		code = 1
		return
	}
	fmt.Printf("%s: %d records ok\n", args[0], n)
}
