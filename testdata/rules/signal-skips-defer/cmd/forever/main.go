package main

import "example.com/sig/store"

func work(db *store.DB) { db.Flush() }

func main() {
	db, _ := store.Open("x")
	defer db.Close()
	go work(db)
	select {} // want `main defers db.Close\(\) \(line 9\) and then blocks in select \{\} \(line 11\)`
}
