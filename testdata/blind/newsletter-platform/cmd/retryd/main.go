// Command retryd re-delivers messages that were spooled to disk after a
// temporary failure. Each spool file holds one message with its envelope in
// the first two lines.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/newsletter/internal/smtpx"
)

// spooled is one queued message.
type spooled struct {
	path string
	from string
	to   string
	body []byte
}

// readSpool parses one spool file.
func readSpool(path string) (spooled, error) {
	f, err := os.Open(path)
	if err != nil {
		return spooled{}, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	from, err := r.ReadString('\n')
	if err != nil {
		return spooled{}, fmt.Errorf("%s: missing sender line", path)
	}
	to, err := r.ReadString('\n')
	if err != nil {
		return spooled{}, fmt.Errorf("%s: missing recipient line", path)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return spooled{}, err
	}
	return spooled{path: path, from: strings.TrimSpace(from), to: strings.TrimSpace(to), body: body}, nil
}

// drainSpool tries every spooled message once and removes the delivered ones.
func drainSpool(dir, relay, helo string) (sent, failed int) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.msg"))
	if err != nil {
		log.Printf("retryd: %v", err)
		return 0, 0
	}
	for _, p := range paths {
		msg, err := readSpool(p)
		if err != nil {
			log.Printf("retryd: %v", err)
			failed++
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err = smtpx.SendOne(ctx, relay, helo, msg.from, []string{msg.to}, msg.body, 30*time.Second)
		cancel()
		if err != nil {
			log.Printf("retryd: %s to %s: %v", filepath.Base(p), msg.to, err)
			failed++
			continue
		}
		if err := os.Remove(p); err != nil {
			log.Printf("retryd: %v", err)
		}
		sent++
	}
	return sent, failed
}

func main() {
	dir := flag.String("spool", "/var/spool/newsletter", "spool directory")
	relay := flag.String("relay", "localhost:25", "smarthost to deliver through")
	helo := flag.String("helo", "mailer.example.com", "EHLO name")
	every := flag.Duration("every", time.Minute, "retry interval")
	pidPath := flag.String("pidfile", "/run/retryd.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		log.Fatalf("retryd: %v", err)
	}
	defer os.Remove(*pidPath)
	for { // HAZ signal-skips-defer
		sent, failed := drainSpool(*dir, *relay, *helo)
		if sent+failed > 0 {
			log.Printf("retryd: delivered %d, still failing %d", sent, failed)
		}
		time.Sleep(*every)
	}
}
