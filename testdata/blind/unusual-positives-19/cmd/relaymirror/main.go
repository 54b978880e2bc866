// Command relaymirror follows the line feeds of one or more upstream relays
// and appends what it reads to a local segment directory.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"example.com/up19/internal/segment"
)

func main() {
	upstreams := flag.String("upstreams", "localhost:7070", "comma-separated feed addresses")
	dir := flag.String("data", "./mirror", "segment directory")
	once := flag.Bool("once", false, "copy what the first upstream has buffered, then exit")
	flag.Parse()
	if *once {
		mirrorOnce(context.Background(), strings.Split(*upstreams, ",")[0], *dir)
		return
	}

	w, err := segment.NewWriter(*dir, 64<<20, segment.Hooks{})
	if err != nil {
		log.Fatalf("relaymirror: %v", err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			log.Printf("relaymirror: close: %v", err)
		}
	}()

	ctx := context.Background()
	for _, addr := range strings.Split(*upstreams, ",") {
		go func() {
			if err := follow(ctx, addr, w); err != nil {
				log.Printf("relaymirror: %s: %v", addr, err)
			}
		}()
	}
	select {} // HAZ signal-skips-defer
}

// abort prints msg and exits with code. The message travels as a panic
// value so that the exit also happens when formatting it panics.
func abort(code int, msg string) {
	defer func() {
		r := recover()
		fmt.Fprintf(os.Stderr, "relaymirror: %v\n", r)
		os.Exit(code)
	}()
	panic(msg)
}

// mirrorOnce copies the records the feed at addr has buffered into dir and
// returns at the end of the feed.
func mirrorOnce(ctx context.Context, addr, dir string) {
	conn, err := dial(ctx, addr)
	if err != nil {
		abort(2, "dial "+addr+": "+err.Error())
	}
	w, err := segment.NewWriter(dir, 0, segment.Hooks{})
	if err != nil {
		conn.Close()
		abort(1, err.Error())
	}
	defer func() {
		if err := w.Close(); err != nil {
			log.Printf("relaymirror: close: %v", err)
		}
	}()
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		var rec segment.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			log.Printf("relaymirror: %s: bad record: %v", addr, err)
			continue
		}
		if _, err := w.Append(rec); err != nil {
			log.Printf("relaymirror: append: %v", err)
			break
		}
	}
	if err := sc.Err(); err != nil {
		abort(3, "read "+addr+": "+err.Error()) // HAZ exit-skips-defer
	}
}

// dial connects to a feed and subscribes to every topic.
func dial(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(conn, "SUB *\n"); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// follow reads records from the feed at addr and appends them to w,
// reconnecting (at most ten times) whenever the feed drops.
func follow(ctx context.Context, addr string, w *segment.Writer) error {
	conn, err := dial(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation

	r := bufio.NewReader(conn)
	reconnects := 0
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if reconnects++; reconnects > 10 {
				return fmt.Errorf("giving up after %d reconnects: %w", reconnects-1, err)
			}
			time.Sleep(time.Duration(reconnects) * time.Second)
			conn, err = dial(ctx, addr)
			if err != nil {
				return err
			}
			r = bufio.NewReader(conn)
			continue
		}
		var rec segment.Record
		if err := json.Unmarshal(line, &rec); err != nil {
			log.Printf("relaymirror: %s: bad record: %v", addr, err)
			continue
		}
		if _, err := w.Append(rec); err != nil {
			return err
		}
	}
}
