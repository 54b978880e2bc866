package health

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

var errNoAddrs = errors.New("health: no addresses")

func readBanner(conn net.Conn, timeout time.Duration) error {
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+READY") {
		return fmt.Errorf("unexpected banner %q", strings.TrimSpace(line))
	}
	return nil
}

// FirstReachable returns the first backend address, in order, that accepts a
// connection and sends its ready banner.
func FirstReachable(addrs []string, timeout time.Duration) (string, error) {
	if len(addrs) == 0 {
		return "", errNoAddrs
	}
	conn, err := net.DialTimeout("tcp", addrs[0], timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	if readBanner(conn, timeout) == nil {
		return addrs[0], nil
	}
	for _, alt := range addrs[1:] {
		conn, err = net.DialTimeout("tcp", alt, timeout)
		if err != nil {
			continue
		}
		if readBanner(conn, timeout) == nil {
			return alt, nil
		}
	}
	return "", errors.New("health: no backend sent its banner")
}

// ProbeEach tries every address and reports which ones answered; each
// connection is closed by the helper that opened it.
func ProbeEach(addrs []string, timeout time.Duration) map[string]error {
	out := make(map[string]error, len(addrs))
	for _, addr := range addrs {
		out[addr] = probeOne(addr, timeout)
	}
	return out
}

func probeOne(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	return readBanner(conn, timeout)
}

// FetchStatus GETs url and returns its status line. On a redirect-policy
// error the client returns a response as well as the error, so the body is
// closed whenever there is one.
func FetchStatus(ctx context.Context, client *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	return resp.Status, nil
}

// ProbeAll probes addrs concurrently and returns the unreachable ones.
func ProbeAll(addrs []string, timeout time.Duration) []string {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		down []string
	)
	for _, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := probeOne(addr, timeout); err != nil {
				mu.Lock()
				down = append(down, addr)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return down
}
