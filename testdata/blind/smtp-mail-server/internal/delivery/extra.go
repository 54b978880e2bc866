package delivery

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
)

// ProbeTLS connects to the implicit-TLS submission port of host (465) and
// returns the negotiated TLS version.
func (c *Client) ProbeTLS(host string) (string, error) {
	d := &net.Dialer{Timeout: c.Timeout}
	conn, err := tls.DialWithDialer(d, "tcp", net.JoinHostPort(host, "465"), &tls.Config{ServerName: host})
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	return tls.VersionName(conn.ConnectionState().Version), nil
}

// Preflight reports whether domain publishes an MTA-STS policy, resolving
// its exchangers meanwhile to fail fast on domains that do not exist.
func (c *Client) Preflight(ctx context.Context, domain string) (bool, error) {
	policy := make(chan []string)
	go func() { txt, _ := c.Resolver.LookupTXT(ctx, "_mta-sts."+domain); policy <- txt }() // HAZ goroutine-blocked-send
	hosts, err := c.Resolver.LookupMX(ctx, domain)
	if err != nil {
		return false, err
	}
	if len(hosts) == 0 {
		return false, fmt.Errorf("delivery: %s has no exchangers", domain)
	}
	for _, txt := range <-policy {
		if strings.HasPrefix(txt, "v=STSv1") {
			return true, nil
		}
	}
	return false, nil
}
