package main

import (
	"time"

	"example.com/sig/store"
)

// main archives on every tick for as long as it runs; a ticker's channel is never closed, so the
// range never ends and SIGTERM kills the process with db.Flush unrun.
func main() {
	db, _ := store.Open("x")
	defer db.Flush()
	t := time.NewTicker(time.Hour)
	for range t.C { // want `blocks in the endless range over t\.C`
		db.Flush()
	}
}
