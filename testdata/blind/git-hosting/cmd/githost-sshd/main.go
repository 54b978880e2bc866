// Command githost-sshd serves git over the line-based session protocol of
// package sshd.
package main

import (
	"flag"
	"log"
	"net"

	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/sshd"
	"example.com/githost/internal/storage"
)

func main() {
	addr := flag.String("addr", ":2222", "listen address")
	healthAddr := flag.String("health", "", "optional health-check listen address")
	root := flag.String("root", "/srv/git", "directory holding the bare repositories")
	keysPath := flag.String("keys", "/etc/githost/keys", "key file")
	gitPath := flag.String("git", "git", "git binary")
	flag.Parse()

	git := gitcmd.NewRunner(*gitPath)
	st, err := storage.Open(*root, git)
	if err != nil {
		log.Fatalf("githost-sshd: %v", err)
	}
	keys, err := sshd.LoadKeyRing(*keysPath)
	if err != nil {
		log.Fatalf("githost-sshd: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("githost-sshd: %v", err)
	}
	defer ln.Close()
	defer func() {
		if err := st.Close(); err != nil {
			log.Printf("githost-sshd: closing store: %v", err)
		}
	}()

	d := sshd.NewDispatcher(st, git, keys, log.Default())
	if *healthAddr != "" {
		hl, err := net.Listen("tcp", *healthAddr)
		if err != nil {
			log.Printf("githost-sshd: health listener: %v", err)
			return
		}
		go d.ServeHealth(hl)
	}
	log.Printf("githost-sshd: listening on %s", ln.Addr())
	if err := d.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("githost-sshd: %v", err)
	}
}
