package main

import (
	"log"
	"time"

	"example.com/sig/store"
)

// poll stops after a number of rounds: main returns and runs its defers.
func poll(db *store.DB, rounds int) {
	for i := 0; ; i++ {
		if i == rounds {
			return
		}
		time.Sleep(time.Second)
		log.Print(db)
	}
}

func main() {
	db, _ := store.Open("x")
	defer db.Close()
	poll(db, 10)
}
