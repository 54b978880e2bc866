// Command tidewatch serves a small status page for a tidepool node. It
// re-reads its configuration on SIGHUP.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// config is the status page configuration.
type config struct {
	Title   string
	Streams []string
}

func main() {
	addr := flag.String("addr", ":7071", "listen address")
	cfgPath := flag.String("config", "/etc/tidepool/watch.conf", "configuration file")
	pidPath := flag.String("pidfile", "/run/tidewatch.pid", "pid file")
	flag.Parse()
	logger := log.New(os.Stderr, "tidewatch: ", log.LstdFlags)

	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		logger.Fatalf("config: %v", err)
	}
	var current atomic.Pointer[config]
	current.Store(cfg)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		logger.Fatalf("pid file: %v", err)
	}
	defer os.Remove(*pidPath) // HAZ signal-skips-defer

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go watchReload(hup, *cfgPath, &current, logger)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		c := current.Load()
		fmt.Fprintf(w, "%s\n%s\n", c.Title, strings.Join(c.Streams, "\n"))
	})
	if err := http.Serve(ln, mux); err != nil {
		logger.Printf("serve: %v", err)
	}
}

// loadConfig reads the configuration file.
func loadConfig(path string) (*config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseConfig(f)
}

// parseConfig reads "title = ..." and "stream = ..." lines.
func parseConfig(r io.Reader) (*config, error) {
	cfg := &config{Title: "tidepool"}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: missing '='", n)
		}
		switch strings.TrimSpace(k) {
		case "title":
			cfg.Title = strings.TrimSpace(v)
		case "stream":
			cfg.Streams = append(cfg.Streams, strings.TrimSpace(v))
		default:
			return nil, fmt.Errorf("line %d: unknown key %q", n, k)
		}
	}
	return cfg, sc.Err()
}

// watchReload re-reads the configuration on every SIGHUP.
func watchReload(hup <-chan os.Signal, path string, current *atomic.Pointer[config], logger *log.Logger) {
	for range hup {
		f, err := os.Open(path)
		if err != nil {
			logger.Printf("reload: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		cfg, err := parseConfig(f)
		if err != nil {
			logger.Printf("reload: %v", err)
			continue
		}
		current.Store(cfg)
		logger.Printf("reload: %d streams", len(cfg.Streams))
	}
}
