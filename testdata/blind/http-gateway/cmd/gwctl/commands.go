package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"example.com/gateway/internal/config"
)

// client talks to the admin API.
type client struct {
	base  string
	token string
	http  *http.Client
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func addClientFlags(fs *flag.FlagSet) *client {
	c := &client{http: &http.Client{Timeout: 30 * time.Second}}
	fs.StringVar(&c.base, "addr", envOr("GWCTL_ADDR", "http://127.0.0.1:9090"), "admin API base URL")
	fs.StringVar(&c.token, "token", os.Getenv("GWCTL_TOKEN"), "admin bearer token")
	return c
}

// do sends one request and turns non-2xx answers into errors.
func (c *client) do(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.base, "/")+path, body)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return resp, nil
}

func (c *client) post(ctx context.Context, path string) error {
	resp, err := c.do(ctx, http.MethodPost, path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// setMaintenance flips maintenance mode with its own five-second budget, so
// it is safe to defer.
func (c *client) setMaintenance(on bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.post(ctx, "/maintenance?on="+strconv.FormatBool(on))
}

// cmdStatus prints the admin status document.
func cmdStatus(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := addClientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.do(ctx, http.MethodGet, "/status", nil)
	if err != nil {
		fmt.Fprintf(stderr, "gwctl: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	if _, err := io.Copy(stdout, resp.Body); err != nil {
		fmt.Fprintf(stderr, "gwctl: %v\n", err)
		return 1
	}
	return 0
}

func copyInto(dst *os.File, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(dst, in)
	return err
}

// cmdEdit copies the gateway config file to a temp file, opens $EDITOR on
// it, validates the result, installs it and asks the gateway to reload.
func cmdEdit(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("edit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "/etc/gateway/config.json", "gateway config file")
	c := addClientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	editor := envOr("EDITOR", "vi")

	tmp, err := os.CreateTemp("", "gateway-config-*.json")
	if err != nil {
		fmt.Fprintf(stderr, "gwctl: %v\n", err)
		return 1
	}
	defer os.Remove(tmp.Name())
	if err := copyInto(tmp, *path); err != nil {
		tmp.Close()
		log.Fatalf("edit: copy %s: %v", *path, err) // HAZ exit-skips-defer
	}
	if err := tmp.Close(); err != nil {
		fmt.Fprintf(stderr, "gwctl: %v\n", err)
		return 1
	}

	cmd := exec.Command(editor, tmp.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "gwctl: editor: %v\n", err)
		return 1
	}
	cfg, err := config.Load(tmp.Name())
	if err != nil {
		fmt.Fprintf(stderr, "gwctl: edited config is invalid, nothing changed: %v\n", err)
		return 1
	}
	if err := config.Save(*path, cfg); err != nil {
		fmt.Fprintf(stderr, "gwctl: %v\n", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.post(ctx, "/reload"); err != nil {
		fmt.Fprintf(stderr, "gwctl: saved, but reload failed: %v\n", err)
		return 1
	}
	return 0
}

// cmdPurge puts the gateway in maintenance mode, purges every cache prefix
// listed in a file and leaves maintenance mode again.
func cmdPurge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	list := fs.String("f", "prefixes.txt", "file with one cache prefix per line")
	c := addClientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := c.setMaintenance(true); err != nil {
		fatalf(stderr, "purge: enter maintenance: %v", err)
	}
	defer func() {
		if err := c.setMaintenance(false); err != nil {
			fmt.Fprintf(stderr, "gwctl: leave maintenance: %v\n", err)
		}
	}()
	f, err := os.Open(*list)
	if err != nil {
		fatalf(stderr, "purge: %v", err) // HAZ exit-skips-defer
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		prefix := strings.TrimSpace(sc.Text())
		if prefix == "" || strings.HasPrefix(prefix, "#") {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := c.post(ctx, "/cache/purge?prefix="+url.QueryEscape(prefix))
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "gwctl: purge %q: %v\n", prefix, err)
			return 1
		}
		n++
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "gwctl: read %s: %v\n", *list, err)
		return 1
	}
	fmt.Fprintf(stdout, "purged %d prefixes\n", n)
	return 0
}

// cmdEvents follows the gateway's event stream until interrupted.
func cmdEvents(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := addClientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	c.http = &http.Client{} // the stream is long-lived; the context bounds it
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	resp, err := c.do(ctx, http.MethodGet, "/events", nil)
	if err != nil {
		fmt.Fprintf(stderr, "gwctl: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			fmt.Fprintln(stdout, data)
		}
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "gwctl: stream: %v\n", err)
		return 1
	}
	return 0
}
