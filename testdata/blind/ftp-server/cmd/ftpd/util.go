package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"

	"example.com/ftpsrv/internal/auth"
	"example.com/ftpsrv/internal/server"
)

// parseRange parses "lo-hi".
func parseRange(s string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("want LO-HI, got %q", s)
	}
	if lo, err = strconv.Atoi(a); err != nil {
		return 0, 0, err
	}
	if hi, err = strconv.Atoi(b); err != nil {
		return 0, 0, err
	}
	if lo < 1024 || hi < lo || hi > 65535 {
		return 0, 0, fmt.Errorf("bad range %d-%d", lo, hi)
	}
	return lo, hi, nil
}

// reloadOnHUP re-reads the user database on every SIGHUP until ctx ends,
// then re-checks the homes in the background. A bug in reloading must
// not take the server down.
func reloadOnHUP(ctx context.Context, hup <-chan os.Signal, users *auth.Store, path string) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("ftpd: reload loop stopped: panic: %v", r)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := users.Reload(path); err != nil {
				log.Printf("ftpd: reload %s: %v (keeping old users)", path, err)
				continue
			}
			log.Printf("ftpd: reloaded %d users", len(users.Names()))
			go func() { // HAZ goroutine-outside-recover
				for i, err := range server.CheckHomes(users.Homes(), false) {
					if err != nil {
						log.Printf("ftpd: home %d: %v", i, err)
					}
				}
			}()
		}
	}
}
