// Command config-poller periodically fetches the rendered configuration from
// the config service and writes it where the local proxy picks it up. Only
// one poller per host may run, which is enforced with a lease file.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/blindd/internal/svc"
)

type poller struct {
	client *http.Client
	url    string
	target string
	last   []byte
}

func (p *poller) poll() error {
	resp, err := p.client.Get(p.url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", p.url, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if bytes.Equal(b, p.last) {
		return nil
	}
	if err := os.WriteFile(p.target+".tmp", b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(p.target+".tmp", p.target); err != nil {
		return err
	}
	p.last = b
	log.Printf("config-poller: wrote %d bytes to %s", len(b), p.target)
	return nil
}

func main() {
	src := flag.String("url", "http://config.internal/v1/render/proxy", "config endpoint")
	target := flag.String("target", "/etc/proxy/proxy.conf", "output file")
	leaseDir := flag.String("lease-dir", "/run", "lease directory")
	interval := flag.Duration("interval", 30*time.Second, "poll interval")
	flag.Parse()

	lease, err := svc.AcquireLease(*leaseDir, "config-poller")
	if err != nil {
		log.Fatalf("config-poller: %v", err)
	}
	defer lease.Release() // otherwise the next poller on this host refuses to start

	p := &poller{client: &http.Client{Timeout: 10 * time.Second}, url: *src, target: *target}
	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	for { // HAZ signal-skips-defer
		if err := p.poll(); err != nil {
			log.Printf("config-poller: %v", err)
		}
		<-ticker.C
	}
}
