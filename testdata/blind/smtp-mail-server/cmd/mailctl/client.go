package main

import (
	"net/http"
	"os"
	"strings"
	"time"
)

// adminClient talks to the admin API of a running mailsrvd.
type adminClient struct {
	base string
	hc   *http.Client
}

func newAdminClient() *adminClient {
	addr := os.Getenv("MAILSRV_ADMIN")
	if addr == "" {
		addr = "127.0.0.1:8025"
	}
	if !strings.HasPrefix(addr, "http") {
		addr = "http://" + addr
	}
	return &adminClient{base: addr, hc: &http.Client{Timeout: 15 * time.Second}}
}

func (c *adminClient) get(path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "mailctl")
	return c.hc.Do(req)
}

func (c *adminClient) post(path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "mailctl")
	return c.hc.Do(req)
}
