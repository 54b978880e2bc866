package config

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// FetchTCP asks the config server at addr for the named config: it sends
// "GET name\n" and reads key=value lines until the server closes.
func FetchTCP(addr, name string, timeout time.Duration) (*Config, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("config: dial %s: %w", addr, err)
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(conn, "GET %s\n", name); err != nil {
		return nil, err
	}
	vals, err := Parse(io.LimitReader(conn, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("config: %s/%s: %w", addr, name, err)
	}
	return &Config{Values: vals, Source: "tcp://" + addr + "/" + name, ModTime: time.Now()}, nil
}

// FetchHTTP downloads a config over HTTP. The body is closed only once the
// request is known to have succeeded.
func FetchHTTP(ctx context.Context, client *http.Client, url string) (*Config, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("config: fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("config: fetch %s: %s", url, resp.Status)
	}
	vals, err := Parse(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", url, err)
	}
	mod := time.Now()
	if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		mod = lm
	}
	return &Config{Values: vals, Source: url, ModTime: mod}, nil
}
