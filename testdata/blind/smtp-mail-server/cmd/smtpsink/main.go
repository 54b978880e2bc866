// Command smtpsink accepts mail for any recipient and drops it into a
// maildir. It runs in staging so that no test mail leaves the network.
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"example.com/mailsrv/internal/maildir"
	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/smtpd"
)

type sinkBackend struct {
	md *maildir.Maildir
	n  atomic.Int64
}

func (b *sinkBackend) CheckRcpt(ip net.IP, from, rcpt string) error { return nil }

func (b *sinkBackend) Accept(from string, rcpts []string, body io.Reader) (string, error) {
	hdr := "X-Sink-Envelope: from=<" + from + "> to=" + strings.Join(rcpts, ",") + "\r\n"
	path, err := b.md.Deliver(io.MultiReader(strings.NewReader(hdr), body))
	if err != nil {
		return "", err
	}
	b.n.Add(1)
	return filepath.Base(path), nil
}

func main() {
	addr := flag.String("listen", "127.0.0.1:2525", "SMTP listen address")
	dir := flag.String("maildir", "./sink", "maildir to deliver into")
	ready := flag.String("ready-file", "", "file written once listening, for test harnesses")
	flag.Parse()

	md := maildir.New(*dir)
	if err := md.Init(); err != nil {
		log.Fatalf("smtpsink: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("smtpsink: %v", err)
	}
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			log.Fatalf("smtpsink: %v", err)
		}
		defer os.Remove(*ready)
	}
	srv := &smtpd.Server{
		Hostname:     "sink.invalid",
		ReadTimeout:  time.Minute,
		WriteTimeout: time.Minute,
		DataTimeout:  5 * time.Minute,
		Backend:      &sinkBackend{md: md},
		Metrics:      metrics.New(),
	}
	go func() {
		if err := srv.Serve(ln); err != nil {
			log.Printf("smtpsink: %v", err)
		}
	}()
	log.Printf("smtpsink: listening on %s, delivering to %s", ln.Addr(), *dir)
	select {} // HAZ signal-skips-defer
}
