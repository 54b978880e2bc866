// Command objstore-fake serves the in-memory object store for local testing
// of backupd uploads. With -dump it saves the objects to a directory on exit.
package main

import (
	"flag"
	"log"
	"net/http"

	"example.com/backupsched/internal/objstore"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	dump := flag.String("dump", "", "directory to save objects into on exit")
	maxSize := flag.Int64("max-size", 1<<30, "largest accepted object in bytes")
	flag.Parse()

	store := objstore.NewServer(*maxSize)
	if *dump != "" {
		defer func() {
			if err := store.SaveTo(*dump); err != nil {
				log.Printf("dump: %v", err)
				return
			}
			log.Printf("saved %d objects to %s", store.Len(), *dump)
		}()
	}
	log.Printf("fake object store listening on %s", *addr)
	err := http.ListenAndServe(*addr, store) // HAZ signal-skips-defer
	log.Printf("serve: %v", err)
}
