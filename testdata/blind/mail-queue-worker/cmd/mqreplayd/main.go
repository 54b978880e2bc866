// Command mqreplayd replays the dead letters of tenants whose outage an
// operator has marked resolved (one tenant id per line in -resolved).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/mqworker/internal/deadletter"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/store"
)

// readResolved returns the tenant ids listed in path, skipping comments.
func readResolved(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tenants []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tenants = append(tenants, line)
	}
	return tenants, sc.Err()
}

// replayTenant replays one tenant's dead letters. A lock file in the
// dead-letter directory tells mqworker not to rotate segments meanwhile.
func replayTenant(ctx context.Context, repo *queue.Repo, dir, tenant string) {
	lock := filepath.Join(dir, ".replay.lock")
	if err := os.WriteFile(lock, []byte(fmt.Sprintf("%d %s\n", os.Getpid(), tenant)), 0o600); err != nil {
		log.Printf("replay %s: cannot take lock: %v", tenant, err)
		return
	}
	defer os.Remove(lock)
	r := deadletter.NewReplayer(dir, func(ctx context.Context, e deadletter.Entry) error {
		return repo.Enqueue(ctx, &queue.Job{Tenant: e.Tenant, Kind: queue.Kind(e.Kind), Payload: e.Payload, MaxAttempts: 8})
	}, nil, log.Default())
	n, err := r.ReplayTenant(ctx, tenant)
	if err != nil {
		log.Fatalf("replay %s: %v (after %d entries)", tenant, err, n) // HAZ exit-skips-defer
	}
	log.Printf("replayed %d entries for %s", n, tenant)
}

func main() {
	dsn := flag.String("dsn", "mem://jobs", "store DSN")
	dir := flag.String("dead-letter-dir", "./dead", "dead-letter directory")
	resolved := flag.String("resolved", "resolved.txt", "file of resolved tenant ids")
	every := flag.Duration("every", time.Minute, "scan interval")
	flag.Parse()

	db, err := store.Open(*dsn)
	if err != nil {
		log.Fatalf("open %s: %v", *dsn, err)
	}
	defer db.Close() // HAZ signal-skips-defer
	repo := queue.NewRepo(db, time.Minute, log.Default())
	done := make(map[string]bool)

	for {
		tenants, err := readResolved(*resolved)
		if err != nil && !os.IsNotExist(err) {
			log.Printf("read %s: %v", *resolved, err)
		}
		for _, t := range tenants {
			if done[t] {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			replayTenant(ctx, repo, *dir, t)
			cancel()
			done[t] = true
		}
		time.Sleep(*every)
	}
}
