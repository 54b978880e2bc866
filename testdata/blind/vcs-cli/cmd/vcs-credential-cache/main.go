// Command vcs-credential-cache keeps credentials in memory for a while and
// answers vcs on a unix socket.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"example.com/vcscli/internal/credential"
)

// listen creates the socket directory with private permissions and listens
// on path, removing a stale socket left by a crashed daemon.
func listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if conn, err := net.DialTimeout("unix", path, time.Second); err == nil {
		conn.Close()
		return nil, errors.New("another credential cache is already running")
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return net.Listen("unix", path)
}

func main() {
	sock := flag.String("socket", credential.SocketPath(), "socket to listen on")
	ttl := flag.Duration("timeout", 15*time.Minute, "how long credentials are kept")
	flag.Parse()

	logger := log.New(os.Stderr, "credential-cache: ", log.LstdFlags)
	ln, err := listen(*sock)
	if err != nil {
		logger.Fatal(err)
	}
	defer os.Remove(*sock)
	defer ln.Close()

	cache := credential.NewCache(*ttl, logger)
	ctx := context.Background()
	go cache.RunSweeper(ctx, time.Minute)
	logger.Printf("listening on %s", *sock)
	log.Fatal(cache.Serve(ctx, ln)) // HAZ signal-skips-defer exit-skips-defer
}
