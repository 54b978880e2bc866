// Command chatd runs the line-protocol chat server.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"

	"example.com/netsrv/chat"
)

type lockFile struct {
	path string
	f    *os.File
}

func acquireLock(path string) (*lockFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s exists: another chatd is loading presets", path)
		}
		return nil, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return &lockFile{path: path, f: f}, nil
}

func (l *lockFile) release() {
	_ = l.f.Close()
	_ = os.Remove(l.path)
}

func loadPresets(dir string) []chat.RoomConfig {
	lock, err := acquireLock(filepath.Join(dir, ".lock"))
	if err != nil {
		log.Fatalf("chatd: %v", err) // ok: nothing deferred yet, here or in main
	}
	defer lock.release()

	presets, err := chat.LoadRooms(dir)
	if err != nil {
		log.Fatalf("chatd: loading room presets: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("chatd: loaded %d room presets", len(presets))
	return presets
}

func main() {
	addr := flag.String("addr", ":6667", "chat listen address")
	admin := flag.String("admin", "127.0.0.1:6668", "status listen address, empty to disable")
	histDir := flag.String("history", "history", "history directory")
	presetDir := flag.String("presets", "", "directory with *.room presets")
	flag.Parse()

	var presets []chat.RoomConfig
	if *presetDir != "" {
		presets = loadPresets(*presetDir)
	}

	hist, err := chat.OpenHistory(*histDir, 64<<20)
	if err != nil {
		log.Fatalf("chatd: %v", err) // ok: nothing deferred yet
	}
	defer func() {
		if err := hist.Close(); err != nil {
			log.Printf("chatd: closing history: %v", err)
		}
	}()

	srv := chat.NewServer(hist)
	srv.ApplyRooms(presets)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("chatd: %v", err)
		return
	}
	go func() {
		if err := srv.Serve(ln); err != nil {
			log.Printf("chatd: serve: %v", err)
		}
	}()
	if *admin != "" {
		aln, err := net.Listen("tcp", *admin)
		if err != nil {
			log.Printf("chatd: admin: %v", err)
			return
		}
		go func() { _ = srv.ServeStatus(aln) }()
	}
	log.Printf("chatd: listening on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}
