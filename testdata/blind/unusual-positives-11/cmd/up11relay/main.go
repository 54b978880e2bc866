// Command up11relay accepts framed streams on each configured route and
// forwards the frames to the route's targets.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"example.com/up11/internal/metrics"
	"example.com/up11/internal/pipe"
)

var logger = log.New(os.Stderr, "up11relay ", log.LstdFlags)

type route struct {
	Name    string   `json:"name"`
	Listen  string   `json:"listen"`
	Targets []string `json:"targets"`
}

func loadRoutes(path string) ([]route, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("routes: %w", err)
	}
	var rs []route
	if err := json.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("routes %s: %w", path, err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("routes %s: none configured", path)
	}
	return rs, nil
}

func writeAndClose(f *os.File, v any) error {
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return errors.Join(enc.Encode(v), f.Close())
}

// snapshotRoutes writes the effective routing table next to the config for
// operators, via a temp file that is removed unless it was renamed.
func snapshotRoutes(path string, routes []route) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".routes-*.json")
	if err != nil {
		logger.Fatalf("snapshot routes: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeAndClose(tmp, routes); err != nil {
		logger.Fatalf("snapshot routes: %v", err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		logger.Printf("snapshot routes: %v", err)
	}
}

// readFrames reads length-prefixed frames until EOF.
func readFrames(conn net.Conn) ([][]byte, error) {
	if err := conn.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
		return nil, err
	}
	br := bufio.NewReader(conn)
	var frames [][]byte
	for {
		var hdr [4]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return frames, nil
			}
			return frames, fmt.Errorf("frame header: %w", err)
		}
		buf := make([]byte, binary.BigEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(br, buf); err != nil {
			return frames, fmt.Errorf("frame body: %w", err)
		}
		frames = append(frames, buf)
	}
}

// serveRoute accepts connections for r forever; each connection is closed
// by a defer scoped to its own goroutine.
func serveRoute(r route, stats *metrics.Counters[string]) {
	ln, err := net.Listen("tcp", r.Listen)
	if err != nil {
		logger.Printf("route %s: %v", r.Name, err)
		return
	}
	defer ln.Close()
	for {
		conn, err := ln.Accept()
		if err != nil {
			logger.Printf("route %s: accept: %v", r.Name, err)
			return
		}
		go func() {
			defer conn.Close()
			frames, err := readFrames(conn)
			if err != nil {
				logger.Printf("route %s: %v", r.Name, err)
			}
			for _, t := range r.Targets {
				if err := pipe.SendFramesFlushed(t, frames); err != nil {
					logger.Printf("route %s -> %s: %v", r.Name, t, err)
					stats.Add(r.Name+".errors", 1)
				}
			}
			stats.Add(r.Name+".frames", int64(len(frames)))
		}()
	}
}

func main() {
	cfg := flag.String("routes", "/etc/up11/routes.json", "routing table")
	flag.Parse()
	routes, err := loadRoutes(*cfg)
	if err != nil {
		logger.Fatal(err)
	}
	snapshotRoutes(*cfg+".effective", routes)

	stats := metrics.NewCounters[string]()
	defer func() {
		if err := metrics.DumpKnown(os.Stderr, "stderr", stats.Snapshot()); err != nil {
			logger.Printf("final stats: %v", err)
		}
	}()
	for _, r := range routes {
		go serveRoute(r, stats)
	}
	select {} // HAZ signal-skips-defer
}
