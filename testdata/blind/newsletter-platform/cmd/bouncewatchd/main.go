// Command bouncewatchd watches the bounce mailbox continuously and keeps the
// subscriber snapshot up to date. It is the long-running alternative to the
// bouncectl cron job.
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"example.com/newsletter/internal/bounce"
	"example.com/newsletter/internal/subscribers"
)

func main() {
	dir := flag.String("dir", "/var/mail/bounces/new", "bounce mailbox directory")
	doneDir := flag.String("done", "/var/mail/bounces/cur", "processed reports")
	snapPath := flag.String("snapshot", "/var/lib/newsletter/subscribers.json", "subscriber snapshot")
	every := flag.Duration("every", 30*time.Second, "poll interval")
	flag.Parse()

	st := subscribers.NewStore(nil)
	if err := subscribers.LoadLatest(*snapPath, st); err != nil {
		log.Fatalf("bouncewatchd: %v", err)
	}
	defer func() {
		if err := subscribers.WriteSnapshot(*snapPath, st); err != nil {
			log.Printf("bouncewatchd: final snapshot: %v", err)
		}
	}()

	ctx := context.Background()
	w := bounce.NewWatcher(*dir, *doneDir, *every, st, log.Default())
	go w.Run(ctx)
	go subscribers.NewSnapshotter(st, *snapPath, time.Minute, log.Default()).Run(ctx)
	log.Printf("bouncewatchd: watching %s every %s", *dir, *every)
	select {} // HAZ signal-skips-defer
}
