package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

func needArgs(args []string, n int, usage string) error {
	if len(args) < n {
		return fmt.Errorf("usage: %s", usage)
	}
	return nil
}

// cmdPing measures the round trip to /healthz (no token needed).
func cmdPing(c *client, args []string) error {
	start := time.Now()
	resp, _ := http.Get(c.base + "/healthz")
	rtt := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	fmt.Printf("%s %s in %v\n", resp.Status, strings.TrimSpace(string(body)), rtt.Round(time.Microsecond))
	return nil
}

func cmdBackends(c *client, args []string) error {
	var all map[string][]backendStats
	if err := c.get("/backends", nil, &all); err != nil {
		return err
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FRONTEND\tADDR\tWEIGHT\tHEALTHY\tDRAINING\tACTIVE\tBREAKER")
	for _, name := range names {
		for _, b := range all[name] {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%v\t%v\t%d\t%s\n",
				name, b.Addr, b.Weight, b.Healthy, b.Draining, b.Active, b.Breaker)
		}
	}
	return tw.Flush()
}

func cmdWeight(c *client, args []string) error {
	if err := needArgs(args, 3, "weight <frontend> <addr> <n>"); err != nil {
		return err
	}
	q := url.Values{"frontend": {args[0]}, "addr": {args[1]}, "weight": {args[2]}}
	return c.post("/weight", q, nil)
}

func cmdDrain(c *client, args []string) error {
	if err := needArgs(args, 2, "drain <frontend> <addr>"); err != nil {
		return err
	}
	var st backendStats
	q := url.Values{"frontend": {args[0]}, "addr": {args[1]}}
	if err := c.post("/drain", q, &st); err != nil {
		return err
	}
	fmt.Printf("%s draining, %d active connections\n", st.Addr, st.Active)
	return nil
}

func cmdTrip(c *client, args []string) error {
	if err := needArgs(args, 2, "trip <frontend> <addr> [reason]"); err != nil {
		return err
	}
	q := url.Values{"frontend": {args[0]}, "addr": {args[1]}}
	if len(args) > 2 {
		q.Set("reason", strings.Join(args[2:], " "))
	}
	var out map[string]any
	if err := c.post("/trip", q, &out); err != nil {
		return err
	}
	fmt.Printf("breaker %v is %v\n", out["name"], out["state"])
	return nil
}

func cmdProbe(c *client, args []string) error {
	if err := needArgs(args, 2, "probe <frontend> <addr>"); err != nil {
		return err
	}
	var out map[string]string
	if err := c.get("/probe", url.Values{"frontend": {args[0]}, "addr": {args[1]}}, &out); err != nil {
		return err
	}
	if e := out["error"]; e != "" {
		return errors.New(e)
	}
	fmt.Println(out["addr"], out["status"])
	return nil
}

func cmdReloadTLS(c *client, args []string) error {
	var st map[string]any
	if err := c.post("/reload-tls", nil, &st); err != nil {
		return err
	}
	fmt.Printf("fingerprint %v, expires in %v\n", st["fingerprint"], st["expires_in"])
	return nil
}

type dumpedBackend struct {
	Addr   string `json:"addr"`
	Weight int    `json:"weight"`
}

type dumpedFrontend struct {
	Name     string          `json:"name"`
	Backends []dumpedBackend `json:"backends"`
}

// cmdDumpConfig writes the live backend set in config-file form.
func cmdDumpConfig(c *client, args []string) error {
	fs := flag.NewFlagSet("dump-config", flag.ContinueOnError)
	out := fs.String("o", "lbd.backends.json", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var all map[string][]backendStats
	if err := c.get("/backends", nil, &all); err != nil {
		return err
	}
	var fes []dumpedFrontend
	for name, bs := range all {
		fe := dumpedFrontend{Name: name}
		for _, b := range bs {
			fe.Backends = append(fe.Backends, dumpedBackend{Addr: b.Addr, Weight: b.Weight})
		}
		fes = append(fes, fe)
	}
	sort.Slice(fes, func(i, j int) bool { return fes[i].Name < fes[j].Name })

	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"frontends": fes})
}

// copyFile copies src to dst with perm. The deferred closes cover the error
// paths; the success path syncs and checks the close of the written file.
func copyFile(dst, src string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// cmdPushCert installs a new certificate and key into the daemon's TLS
// directory and asks it to reload.
func cmdPushCert(c *client, args []string) error {
	fs := flag.NewFlagSet("push-cert", flag.ContinueOnError)
	certPath := fs.String("cert", "", "certificate chain (PEM)")
	keyPath := fs.String("key", "", "private key (PEM)")
	dir := fs.String("dir", "/etc/lbd/tls", "the daemon's TLS directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *certPath == "" || *keyPath == "" {
		fatalf("push-cert: -cert and -key are required")
	}
	stagedCert := filepath.Join(*dir, ".lbctl-cert.pem")
	stagedKey := filepath.Join(*dir, ".lbctl-key.pem")
	if err := copyFile(stagedCert, *certPath, 0o644); err != nil {
		return err
	}
	defer os.Remove(stagedCert)
	if err := copyFile(stagedKey, *keyPath, 0o600); err != nil {
		return err
	}
	defer os.Remove(stagedKey)
	if _, err := tls.LoadX509KeyPair(stagedCert, stagedKey); err != nil {
		log.Fatalf("lbctl: push-cert: staged pair does not load, refusing to install: %v", err) // HAZ exit-skips-defer
	}
	if err := os.Rename(stagedCert, filepath.Join(*dir, "cert.pem")); err != nil {
		return err
	}
	if err := os.Rename(stagedKey, filepath.Join(*dir, "key.pem")); err != nil {
		return err
	}
	return c.post("/reload-tls", nil, nil)
}

// cmdWatch prints a health line per backend every interval until ^C.
func cmdWatch(c *client, args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	every := fs.Duration("every", 2*time.Second, "refresh interval")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		var all map[string][]backendStats
		if err := c.get("/backends", nil, &all); err != nil {
			fmt.Fprintln(os.Stderr, "lbctl:", err)
		}
		up, total := 0, 0
		for _, bs := range all {
			for _, b := range bs {
				total++
				if b.Healthy && !b.Draining {
					up++
				}
			}
		}
		fmt.Printf("%s  %d/%d backends up\n", time.Now().Format(time.TimeOnly), up, total)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
