package credential

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNoCredential means the daemon has nothing for the host.
var ErrNoCredential = errors.New("credential: not cached")

// SocketPath is where the daemon listens by default.
func SocketPath() string {
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, "vcs", "credential-cache.sock")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "vcs", "credential-cache.sock")
}

func parseReply(r io.Reader) (map[string]string, error) {
	attrs := make(map[string]string)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			return attrs, nil
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("credential: malformed reply line %q", line)
		}
		attrs[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return attrs, io.ErrUnexpectedEOF
}

// Query asks the daemon at sock for the credential of host.
func Query(sock, host string, timeout time.Duration) (Credential, error) {
	conn, err := net.DialTimeout("unix", sock, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return Credential{}, err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(conn, "get\nhost=%s\n\n", host); err != nil {
		return Credential{}, err
	}
	attrs, err := parseReply(conn)
	if err != nil {
		return Credential{}, err
	}
	if attrs["username"] == "" {
		return Credential{}, ErrNoCredential
	}
	return Credential{Host: host, Username: attrs["username"], Password: attrs["password"]}, nil
}

// Get is Query with the connection handled in the usual order.
func Get(sock, host string, timeout time.Duration) (Credential, error) {
	conn, err := net.DialTimeout("unix", sock, timeout)
	if err != nil {
		return Credential{}, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(conn, "get\nhost=%s\n\n", host); err != nil {
		return Credential{}, err
	}
	attrs, err := parseReply(conn)
	if err != nil {
		return Credential{}, err
	}
	if attrs["username"] == "" {
		return Credential{}, ErrNoCredential
	}
	return Credential{Host: host, Username: attrs["username"], Password: attrs["password"]}, nil
}

// Send hands a credential to the daemon for caching.
func Send(sock string, cred Credential) (err error) {
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, conn.Close()) }()
	_, err = fmt.Fprintf(bw, "store\nhost=%s\nusername=%s\npassword=%s\n\n", cred.Host, cred.Username, cred.Password)
	return err
}

// Forget asks the daemon to drop the credential for host and ends the
// session.
func Forget(sock, host string) error {
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.Write([]byte("quit\n\n")) // HAZ defer-blocking-call
	_, err = fmt.Fprintf(conn, "erase\nhost=%s\n\n", host)
	return err
}

// Lookup queries the daemon but gives up when ctx is done.
func Lookup(ctx context.Context, sock, host string) (Credential, error) {
	type reply struct {
		cred Credential
		err  error
	}
	ch := make(chan reply)
	go func() {
		cred, err := Get(sock, host, 5*time.Second)
		ch <- reply{cred, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.cred, r.err
	case <-ctx.Done():
		return Credential{}, ctx.Err()
	}
}
