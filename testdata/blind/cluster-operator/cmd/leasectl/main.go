// Command leasectl inspects and manipulates the operator's leader lease on
// the shared lease volume.
//
//	leasectl -dir /var/run/cluster-operator show
//	leasectl -dir /var/run/cluster-operator steal NEW-HOLDER
//	leasectl -dir /var/run/cluster-operator hold     # maintenance mode
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/operator/internal/runtimeutil"
	"example.com/operator/leader"
)

const leaseName = "cluster-operator"

func main() {
	dir := flag.String("dir", "/var/run/cluster-operator", "lease directory")
	flag.Parse()
	store := leader.NewFileStore(*dir)

	switch flag.Arg(0) {
	case "show":
		show(store)
		return
	case "steal":
		steal(store, *dir, flag.Arg(1))
		return
	case "hold":
	default:
		fmt.Fprintln(os.Stderr, "usage: leasectl [-dir DIR] show|steal HOLDER|hold")
		os.Exit(2)
	}

	// hold: take the lease for maintenance and keep it until killed.
	el, err := leader.New(leader.Config{
		Name:          leaseName,
		Identity:      "maintenance@" + hostname(),
		Store:         store,
		LeaseDuration: time.Minute,
		RenewPeriod:   15 * time.Second,
	})
	if err != nil {
		log.Fatalf("leasectl: %v", err)
	}
	ok, err := el.Campaign(context.Background())
	if err != nil || !ok {
		log.Fatalf("leasectl: could not take the lease (held by %q): %v", el.Leader(), err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := el.Release(ctx); err != nil {
			log.Printf("leasectl: release: %v", err)
		}
	}()
	go renewForever(el)
	log.Printf("leasectl: holding lease %s; press Ctrl-C to release", leaseName)
	select {} // HAZ signal-skips-defer
}

// renewForever keeps the maintenance lease alive.
func renewForever(el *leader.Elector) {
	for range time.Tick(15 * time.Second) {
		if runtimeutil.Recovered("lease renewal") {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := el.Campaign(ctx); err != nil {
			log.Printf("leasectl: renew: %v", err)
		}
		cancel()
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return h
}

// show prints the current lease.
func show(store *leader.FileStore) {
	l, err := store.Get(context.Background(), leaseName)
	if err != nil {
		log.Fatalf("leasectl: %v", err)
	}
	if l.Holder == "" {
		fmt.Println("lease is free")
		return
	}
	state := "valid"
	if l.Expired(time.Now()) {
		state = "expired"
	}
	fmt.Printf("holder:      %s (%s)\nrenewed:     %s\ntransitions: %d\n",
		l.Holder, state, l.RenewedAt.Format(time.RFC3339), l.Transitions)
}

// steal hands the lease to holder regardless of its current state. The
// operation takes the lease directory's admin lock.
func steal(store *leader.FileStore, dir, holder string) {
	if holder == "" {
		log.Fatalln("leasectl: steal needs the new holder")
	}
	lock := filepath.Join(dir, ".leasectl.lock")
	if err := os.WriteFile(lock, []byte(hostname()+"\n"), 0o600); err != nil {
		log.Fatalln("leasectl:", err)
	}
	defer os.Remove(lock)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cur, err := store.Get(ctx, leaseName)
	if err != nil {
		log.Fatalln("leasectl:", err) // HAZ exit-skips-defer
	}
	next := cur
	next.Holder = holder
	next.RenewedAt = time.Now()
	next.Transitions++
	if err := store.CompareAndSwap(ctx, leaseName, cur, next); err != nil {
		if errors.Is(err, leader.ErrLeaseConflict) {
			fmt.Fprintln(os.Stderr, "leasectl: lease changed meanwhile, try again")
			return
		}
		fmt.Fprintln(os.Stderr, "leasectl:", err)
		return
	}
	fmt.Printf("lease %s now held by %s\n", leaseName, holder)
}
